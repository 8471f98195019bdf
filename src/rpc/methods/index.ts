/** The method table: every namespace file's methods (rpc_modules is the dispatcher's, per transport). */
import type { Methods } from '../context.ts'
import { bundleMethods } from './bundle.ts'
import { ethBlockMethods } from './eth-blocks.ts'
import { ethCallMethods } from './eth-call.ts'
import { ethFeeMethods } from './eth-fees.ts'
import { ethFilterMethods } from './eth-filters.ts'
import { ethLogMethods } from './eth-logs.ts'
import { ethSimulateMethods } from './eth-simulate.ts'
import { ethSubscribeMethods } from './eth-subscribe.ts'
import { devMethods } from './dev.ts'
import { anvilMethods } from './anvil.ts'
import { anvilPoolMethods } from './anvil-pool.ts'
import { anvilErc20Methods } from './anvil-erc20.ts'
import { anvilStateMethods } from './anvil-state.ts'
import { anvilReorgMethods } from './anvil-reorg.ts'
import { withAliases } from './aliases.ts'
import { debugRawMethods } from './debug-raw.ts'
import { debugTraceMethods } from './debug-trace.ts'
import { traceMethods } from './trace.ts'
import { traceCallMethods } from './trace-call.ts'
import { txpoolMethods } from './txpool.ts'
import { ethSendMethods } from './eth-send.ts'
import { ethSendSyncMethods } from './eth-send-sync.ts'
import { ethStateMethods } from './eth-state.ts'
import { ethTxMethods } from './eth-tx.ts'
import { ethNodeMethods } from './eth-node.ts'
import { ethConfigMethods } from './eth-config.ts'
import { debugDbMethods } from './debug-db.ts'
import { signMethods } from './sign.ts'
import { mosaicMethods } from './mosaic.ts'
import { otsMethods } from './ots.ts'
import { otsSearchMethods } from './ots-search.ts'
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
    ...bundleMethods,
    ...ethSendSyncMethods,
    ...signMethods,
    ...ethNodeMethods,
    ...ethConfigMethods,
    ...ethLogMethods,
    ...ethFilterMethods,
    ...ethSubscribeMethods,
    ...(has.pool ? txpoolMethods : {}),
    ...(has.dev ? { ...devMethods, ...anvilMethods, ...anvilPoolMethods, ...anvilErc20Methods, ...anvilStateMethods, ...anvilReorgMethods } : {}),
    ...(has.stateDiffs ? mosaicMethods : {}),
    ...debugTraceMethods,
    ...traceMethods,
    ...traceCallMethods,
    ...debugRawMethods,
    ...debugDbMethods,
    ...otsMethods,
    ...otsSearchMethods,
  }
  return m
}

/** Every namespace this module has (tests, and a server over fakes), with the aliases. */
export function allMethods(): Methods {
  return withAliases(serviceMethods({ dev: true, pool: true, stateDiffs: true }))
}

export { withAliases }
