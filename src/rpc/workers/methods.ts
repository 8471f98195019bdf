/**
 * The methods EVM workers run: message execution (eth_call & co., eth_simulateV1) and the
 * debug traces. Everything else stays on the event loop: it is a few reads, cheaper than a trip
 * to a worker.
 */
import type { Methods } from '../context.ts'
import { debugTraceMethods } from '../methods/debug-trace.ts'
import { ethCallMethods } from '../methods/eth-call.ts'
import { ethSimulateMethods } from '../methods/eth-simulate.ts'

export const OFFLOADED: Methods = { ...ethCallMethods, ...ethSimulateMethods, ...debugTraceMethods }

/** Methods that re-execute mined blocks: a worker replays them with src/executor's system calls only. */
export const REPLAYING = new Set(['debug_traceTransaction', 'debug_traceBlockByNumber', 'debug_traceBlockByHash'])
