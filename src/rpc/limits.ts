/** The server's limits (request, batch, connection, filter and execution), shared by every part of src/rpc. */

/** Limits, each with geth's (or erigon's) default where one exists. */
export interface RpcLimits {
  /** Request body size (geth: 5 MB). */
  maxBodyBytes: number
  /** Calls per batch (geth BatchRequestLimit: 1000). */
  maxBatch: number
  /** Total response size of a batch (geth BatchResponseMaxSize: 25 MB). */
  maxBatchResponseBytes: number
  /**
   * Size of one response (a single call's, or one call's within a batch): a larger one is
   * refused with -32003 before anything is sent, and a struct-logger trace stops growing there.
   */
  maxResponseBytes: number
  /** Time a batch's calls may take together; calls not started by then answer -32000 "execution timeout". */
  batchTimeoutMs: number
  /** EVM gas a batch's calls may use together; calls after that answer -32000 "execution timeout" (0: no limit). */
  batchGasCap: bigint
  /** Gas cap of eth_call, estimateGas, createAccessList, simulate, traceCall (geth RPCGasCap: 50M). */
  gasCap: bigint
  /** Wall-clock limit of one EVM execution in ms (geth RPCEVMTimeout: 5 s). */
  evmTimeoutMs: number
  /** Blocks one eth_getLogs may span. */
  logsMaxBlockRange: number
  /** Blocks one trace_filter may replay (Besu: 1000, reth: 100). */
  traceFilterMaxBlocks: number
  /** Logs one eth_getLogs may return. */
  logsMaxResults: number
  /** Addresses or topic alternatives in one log filter. */
  logsMaxAddresses: number
  /** Incoming WebSocket message size. */
  wsMaxMessageBytes: number
  /** Bytes a WebSocket connection may have queued for sending before it is dropped. */
  wsMaxSendQueueBytes: number
  /** Requests one WebSocket connection may have waiting. */
  wsMaxPendingRequests: number
  /** Subscriptions per WebSocket connection. */
  wsMaxSubscriptions: number
  /** Installed filters (eth_newFilter & co.) across the server. */
  maxFilters: number
  /** Idle time after which a filter is dropped (geth: 5 minutes). */
  filterTimeoutMs: number
  /** Changes a filter buffers between polls. */
  filterMaxBuffered: number
  /** Wall-clock limit of a debug trace in ms (geth's default trace timeout: 5 s). */
  traceTimeoutMs: number
  /** Blocks one eth_simulateV1 may simulate (geth: 256). */
  simulateMaxBlocks: number
  /** Calls one eth_simulateV1 may make in total. */
  simulateMaxCalls: number
  /** Blocks one eth_feeHistory may cover (geth: 1024). */
  feeHistoryMaxBlocks: number
  /** Blocks one anvil_mine/hardhat_mine may mine. */
  maxMineBlocks: number
}

export const DEFAULT_LIMITS: RpcLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatch: 1000,
  maxBatchResponseBytes: 25 * 1000 * 1000,
  maxResponseBytes: 128 * 1024 * 1024,
  batchTimeoutMs: 10_000,
  batchGasCap: 1_000_000_000n,
  gasCap: 50_000_000n,
  evmTimeoutMs: 5_000,
  logsMaxBlockRange: 10_000,
  traceFilterMaxBlocks: 1_000,
  logsMaxResults: 10_000,
  logsMaxAddresses: 1_000,
  wsMaxMessageBytes: 15 * 1024 * 1024,
  wsMaxSendQueueBytes: 16 * 1024 * 1024,
  wsMaxPendingRequests: 1_000,
  wsMaxSubscriptions: 1_000,
  maxFilters: 10_000,
  filterTimeoutMs: 5 * 60 * 1000,
  filterMaxBuffered: 10_000,
  traceTimeoutMs: 5_000,
  simulateMaxBlocks: 256,
  simulateMaxCalls: 1_000,
  feeHistoryMaxBlocks: 1_024,
  maxMineBlocks: 100_000,
}
