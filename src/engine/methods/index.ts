/**
 * The Engine API methods that need no more than a small reader: capabilities, client version,
 * payload bodies (a BodyReader over the chain) and blobs (a BlobReader over the blob pool).
 * The fork-choice ones (newPayload, forkchoiceUpdated, getPayload) are built where the chain
 * and the payload builder are wired, from method-params.ts, payload-block.ts and responses.ts.
 */
export { capabilitiesOf, EXCHANGE_CAPABILITIES, exchangeCapabilities, withCapabilities } from './capabilities.ts'
export { CLIENT_CODE, CLIENT_NAME, detectCommit, getClientVersionV1, type ClientVersionV1 } from './client-version.ts'
export { getPayloadBodiesByHashV1, getPayloadBodiesByRangeV1, MAX_PAYLOAD_BODIES, type BodyReader } from './payload-bodies.ts'
export { getBlobsV1, getBlobsV2, MAX_BLOBS_REQUEST, type BlobMethodDeps, type BlobReader, type PooledBlob } from './blobs.ts'
