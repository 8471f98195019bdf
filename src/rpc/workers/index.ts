/**
 * EVM workers of the RPC server: eth_call, eth_estimateGas, eth_createAccessList,
 * eth_simulateV1 and the debug traces on a pool of worker threads (./pool.ts), each reading the
 * chain through this thread (./chain-host.ts, ./bridged-chain.ts) so that it sees exactly what an
 * in-thread call would.
 */
export { createWorkerPool, defaultWorkerCount, withWorkers, type WorkerPool, type WorkerPoolOptions } from './pool.ts'
