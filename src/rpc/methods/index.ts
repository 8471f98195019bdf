/** The method table: every namespace file's methods (rpc_modules is the dispatcher's, per transport). */
import type { Methods } from '../context.ts'
import { ethBlockMethods } from './eth-blocks.ts'
import { ethCallMethods } from './eth-call.ts'
import { ethFeeMethods } from './eth-fees.ts'
import { ethFilterMethods } from './eth-filters.ts'
import { ethLogMethods } from './eth-logs.ts'
import { ethSimulateMethods } from './eth-simulate.ts'
import { ethSubscribeMethods } from './eth-subscribe.ts'
import { devMethods } from './dev.ts'
import { anvilMethods } from './anvil.ts'
import { anvilStateMethods } from './anvil-state.ts'
import { debugRawMethods } from './debug-raw.ts'
import { debugTraceMethods } from './debug-trace.ts'
import { traceMethods } from './trace.ts'
import { traceCallMethods } from './trace-call.ts'
import { txpoolMethods } from './txpool.ts'
import { ethSendMethods } from './eth-send.ts'
import { ethStateMethods } from './eth-state.ts'
import { ethTxMethods } from './eth-tx.ts'
import { ethNodeMethods } from './eth-node.ts'
import { signMethods } from './sign.ts'
import { mosaicMethods } from './mosaic.ts'
import { netMethods, web3Methods } from './web3.ts'

/**
 * The method table for the services a node has: txpool_* only with a pool, the dev controls
 * (evm_*, anvil_*, hardhat_*) only with a dev miner, mosaic_* only with the state-diff stream.
 * admin_* comes from adminMethods.
 */
export function serviceMethods(has: { dev: boolean; pool: boolean; stateDiffs?: boolean }): Methods {
  const m: Methods = {
    ...web3Methods,
    ...netMethods,
    ...ethBlockMethods,
    ...ethStateMethods,
    ...ethTxMethods,
    ...ethCallMethods,
    ...ethSimulateMethods,
    ...ethFeeMethods,
    ...ethSendMethods,
    ...signMethods,
    ...ethNodeMethods,
    ...ethLogMethods,
    ...ethFilterMethods,
    ...ethSubscribeMethods,
    ...(has.pool ? txpoolMethods : {}),
    ...(has.dev ? { ...devMethods, ...anvilMethods, ...anvilStateMethods } : {}),
    ...(has.stateDiffs ? mosaicMethods : {}),
    ...debugTraceMethods,
    ...traceMethods,
    ...traceCallMethods,
    ...debugRawMethods,
  }
  return m
}

/** Every namespace this module has (tests, and a server over fakes). */
export function allMethods(): Methods {
  return serviceMethods({ dev: true, pool: true, stateDiffs: true })
}
