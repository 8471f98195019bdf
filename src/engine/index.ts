/**
 * The Engine API (layer 8, beside rpc/): how a consensus client (or a rollup's sequencer)
 * drives Mosaic. Specification: ethereum/execution-apis src/engine/ (paris.md through
 * osaka.md, common.md, authentication.md, identification.md).
 *
 * Who calls it: a consensus client over HTTP on its own port (`--authrpc.addr`,
 * `--authrpc.port`, default 127.0.0.1:8551), JWT-authenticated; in process, `mosaic cl-mock`
 * and `mosaic enginetest` through the same handlers.
 *
 * Flow of a request:
 *
 *   HTTP → app.ts: JWT (jwt.ts, secret from jwt-secret.ts) → vhosts → body limit
 *        → src/rpc's dispatcher (JSON-RPC 2.0 envelope, batches)
 *        → order.ts (newPayload, forkchoiceUpdated, getPayload one at a time, in order)
 *        → a handler from the method table:
 *            method-params.ts  params of each method and version, checked against the chain's
 *                              forks (versions.ts): -32602, -38003, -38005 in the spec's order
 *            payload-codec.ts  ExecutionPayloadV1–V3 JSON ↔ fields, Block → JSON
 *            payload-block.ts  fields → Block, with the checks newPayload runs before any
 *                              execution (empty transaction, block hash, decoding, blob
 *                              versioned hashes): INVALID / INVALID_BLOCK_HASH statuses
 *            responses.ts      statuses, forkchoiceUpdated and getPayloadV1–V5 results,
 *                              blobs bundles from the pool's sidecars
 *            methods/          the methods that need at most a small reader: capabilities,
 *                              client version, payload bodies (BodyReader), blobs (BlobReader)
 *            new-payload.ts    newPayloadV1–V4: the chain's verdict, stored without moving
 *                              the head; invalid blocks remembered (invalid-blocks.ts)
 *            forkchoice.ts     forkchoiceUpdatedV1–V3: head, safe, finalized; starts a build
 *            get-payload.ts    getPayloadV1–V5 from the builder
 *            builder.ts        payload builds from the pool, improved until getPayload
 *        → the chain (ChainReader, ForkChoice, BlockImporter), the pool's best transactions
 *          and a blob source: capability inputs of `createEngine` (engine.ts), which builds
 *          the whole method table. The node serves it over HTTP; `mosaic enginetest` and
 *          tests call it in process.
 *
 * A newPayloadVn handler, for instance: `newPayloadParams(n, params, spec)` (throws the
 * call's error) → `payloadToBlock(p.payload, { version: n, ...p })` (a status, or the block)
 * → the chain's verdict on the block → `formatPayloadStatus`. A forkchoiceUpdatedVn one:
 * `forkchoiceUpdatedParams` → apply the state → `payloadAttributesParams(n, attrs, spec)` →
 * timestamp after the head's (-38003) → start the build → `formatForkchoiceUpdated`.
 * client.ts is the other side (a consensus client's calls with fresh tokens).
 *
 * The spec's `eth_` subset (common.md) is served on the same port from the public RPC's
 * handlers. Errors are classes with `static code` (errors.ts); nothing matches on messages.
 */
export * from './errors.ts'
export type {
  EngineFork,
  EngineHandler,
  EngineMethods,
  ExecutionPayload,
  ForkchoiceState,
  PayloadAttributes,
  PayloadShape,
  PayloadStatus,
  PayloadStatusKind,
  SyncTarget,
} from './types.ts'
export { attributes as attributeReader, createReader, params as paramReader, positional, type Reader } from './fields.ts'
export { authorize, bearerToken, IAT_WINDOW_SECONDS, signJwt, verifyJwt } from './jwt.ts'
export { JWT_SECRET_FILE, JWT_SECRET_FLAG, JwtSecretError, loadJwtSecret, parseJwtSecret, type JwtSecret } from './jwt-secret.ts'
export {
  formatExecutionPayload,
  formatPayloadBody,
  formatWithdrawal,
  MAX_EXTRA_DATA,
  PAYLOAD_FIELDS,
  parseExecutionPayload,
  parseWithdrawals,
  payloadShape,
} from './payload-codec.ts'
export { payloadHeader, payloadToBlock, versionedHashesMismatch, type PayloadBlock, type PayloadSidecar } from './payload-block.ts'
export {
  attributesShapeOf,
  ENGINE_FORKS,
  engineFork,
  FORKCHOICE_ATTRIBUTES_FORKS,
  GET_PAYLOAD_FORKS,
  NEW_PAYLOAD_FORKS,
  payloadShapeOf,
  requireFork,
  requireGetBlobsFork,
} from './versions.ts'
export {
  executionRequests,
  forkchoiceState,
  forkchoiceUpdatedParams,
  getBlobsParams,
  getPayloadParams,
  newPayloadParams,
  payloadAttributesParams,
  payloadBodiesByHashParams,
  payloadBodiesByRangeParams,
  type NewPayloadParams,
} from './method-params.ts'
export {
  formatBlobsBundle,
  formatForkchoiceUpdated,
  formatGetPayload,
  formatPayloadStatus,
  type BuiltPayload,
  type PayloadStatusJson,
} from './responses.ts'
export * from './methods/index.ts'
export { inOrder, isOrderedMethod } from './order.ts'
export { createEngineApp, type EngineApp, DEFAULT_VHOSTS, ENGINE_ETH_METHODS, ENGINE_LIMITS, hostAllowed, type EngineAppOptions, type EngineLimits } from './app.ts'
export { createEngineClient, EngineCallError, MAX_ANSWER_BYTES, type EngineCallFailure, type EngineClient, type EngineClientOptions } from './client.ts'
export { bodyReader, createEngine, type Engine, type EngineChain, type EngineEvents, type EngineOptions, type KnownInvalidBlock } from './engine.ts'
export { PayloadBuilder, payloadId, tipsOf, type BuildCandidate, type BuildPool, type BuiltEnginePayload, type PayloadBuilderOptions, type SidecarReader } from './builder.ts'
export { InvalidBlocks, MAX_INVALID_BLOCKS, type InvalidBlock } from './invalid-blocks.ts'
export { newPayload, validatePayload, type NewPayloadDeps } from './new-payload.ts'
export { applyForkchoice, forkchoiceUpdated, isAncestor, type ForkchoiceDeps } from './forkchoice.ts'
export { getPayload, type GetPayloadDeps } from './get-payload.ts'
export { DEFAULT_AUTH_ADDR, DEFAULT_AUTH_PORT, startEngineServer, type EngineServer, type EngineServerOptions } from './server.ts'
