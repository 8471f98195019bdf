/**
 * The methods EVM workers run: message execution (eth_call & co., eth_simulateV1,
 * eth_callBundle) and the debug traces. Everything else stays on the event loop: it is a few reads, cheaper than a trip
 * to a worker.
 */
import type { Methods } from '../context.ts'
import { bundleMethods } from '../methods/bundle.ts'
import { debugTraceMethods } from '../methods/debug-trace.ts'
import { ethCallMethods } from '../methods/eth-call.ts'
import { ethSimulateMethods } from '../methods/eth-simulate.ts'

export const OFFLOADED: Methods = { ...ethCallMethods, ...ethSimulateMethods, ...debugTraceMethods, eth_callBundle: bundleMethods.eth_callBundle }

/** Methods that run on the node's own chain state, which a txpool node's state node replaces: there they stay on the event loop. */
export const OWN_STATE = new Set(['eth_callBundle'])

/** Whether a call reads what only the event loop holds: the pool's pending transactions, run before a bundle. */
export function readsPool(method: string, params: unknown): boolean {
  return method === 'eth_callBundle' && Array.isArray(params) && (params[0] as { applyPending?: unknown } | null)?.applyPending === true
}

/** Methods that re-execute mined blocks: a worker replays them with src/executor's system calls only. */
export const REPLAYING = new Set(['debug_traceTransaction', 'debug_traceBlockByNumber', 'debug_traceBlockByHash'])
