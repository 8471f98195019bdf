/**
 * JSON-RPC (layer 8): JSON-RPC 2.0 over HTTP and WebSocket on Bun.serve with hono, the methods
 * real tools use against a dev node (geth's formats and error texts, anvil's and Hardhat's dev
 * controls).
 *
 * Flow: request body → app.ts (hono: body limit, content type, CORS) or ws.ts (one connection:
 * ordered processing, bounded send queue, subscriptions) → dispatch.ts (JSON-RPC envelope,
 * batches and their limits, namespace filter per transport) → a method `(ctx, params)` from
 * methods/* → params.ts validation (-32602 with geth's wording) → the backend capabilities
 * (backend.ts: ChainReader, DevControls, DevSigner, PendingBlock; txpool's TransactionPool) →
 * format/* (geth's output shapes). Execution (eth_call & co.) goes through exec/*: arguments →
 * message (geth's defaults, gas cap) → JournaledState over the block's StateView with
 * overrides → the EVM (timeout via tracer hooks). Traces re-execute mined blocks (replay.ts,
 * with a pluggable block prelude) under tracers/* (struct logger, callTracer, prestateTracer,
 * Otterscan's tracer, which also feeds src/appearances' index through ots-tracing.ts).
 * With `ServerOptions.workers`, execution and traces run on worker threads (workers/*) that read
 * the chain through the event loop, which then only parses, dispatches and writes.
 *
 * Errors are classes with `static code` (errors.ts); nothing matches on message text.
 */
export type { AccountProof, ChainReader, DevControls, DevSigner, HeadEvent, PendingBlock, StateView, TxLocation } from './backend.ts'
export { DEFAULT_LIMITS, type Handler, type Methods, type RpcBackend, type RpcContext, type RpcLimits, type StateHead, type SubscriptionSink } from './context.ts'
export * from './errors.ts'
export { createDispatcher, type CallListener, type CallRecord, type Dispatcher } from './dispatch.ts'
export { withForkForwarding, type ForkUpstream } from './fork-forward.ts'
export { createRpcApp, type AppOptions } from './app.ts'
export { createContext, startRpcServer, type RpcServer, type ServerOptions } from './server.ts'
export { defaultWorkerCount } from './workers/index.ts'
export { allMethods, serviceMethods, withAliases } from './methods/index.ts'
export { headStateMethods, type HeadState } from './methods/head-state.ts'
export { adminMethods } from './methods/admin.ts'
export { CLIENT_VERSION } from './methods/web3.ts'
export { appearanceCollector } from './ots-tracing.ts'
export { replayBlock, defaultExecute, systemCallPrelude, type BlockPrelude, type ExecuteTx, type ReplayDeps, type ReplayedTx } from './replay.ts'
