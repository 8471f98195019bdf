/**
 * Other names of methods the table already has: Hardhat's, ganache's and wallets' names that
 * anvil serves as aliases of its own (`#[serde(alias)]` in anvil's request enum). Each answers
 * exactly as the method it names. The hardhat_set*, hardhat_impersonate* and hardhat_mine
 * methods are not here: they answer as Hardhat does (./dev.ts).
 */
import type { Methods } from '../context.ts'

/** alias → the method it names. */
const DEV_ALIASES: Record<string, string> = {
  anvil_snapshot: 'evm_snapshot',
  anvil_revert: 'evm_revert',
  anvil_increaseTime: 'evm_increaseTime',
  anvil_setNextBlockTimestamp: 'evm_setNextBlockTimestamp',
  anvil_setTime: 'evm_setTime',
  evm_setAccountNonce: 'anvil_setNonce',
  evm_mine_detailed: 'anvil_mine_detailed',
  hardhat_addBalance: 'anvil_addBalance',
  hardhat_autoImpersonateAccount: 'anvil_autoImpersonateAccount',
  hardhat_dealERC20: 'anvil_dealERC20',
  anvil_setERC20Balance: 'anvil_dealERC20',
  hardhat_dropAllTransactions: 'anvil_dropAllTransactions',
  hardhat_dropTransaction: 'anvil_dropTransaction',
  hardhat_dumpState: 'anvil_dumpState',
  hardhat_loadState: 'anvil_loadState',
  hardhat_metadata: 'anvil_metadata',
  hardhat_reset: 'anvil_reset',
  hardhat_setCoinbase: 'anvil_setCoinbase',
  hardhat_setLoggingEnabled: 'anvil_setLoggingEnabled',
  hardhat_setMinGasPrice: 'anvil_setMinGasPrice',
  hardhat_setNextBlockBaseFeePerGas: 'anvil_setNextBlockBaseFeePerGas',
}

const ETH_ALIASES: Record<string, string> = {
  eth_networkId: 'net_version',
  // EIP-1102's wallet call: a dev node's accounts are always unlocked
  eth_requestAccounts: 'eth_accounts',
}

/**
 * `methods` with the aliases of the methods it has. Looked up at call time, so that a method
 * replaced later (fork mode's anvil_reset) is replaced under its aliases too.
 */
export function withAliases(methods: Methods): Methods {
  const out: Methods = { ...methods }
  for (const [alias, name] of Object.entries({ ...DEV_ALIASES, ...ETH_ALIASES })) {
    if (name in methods && !(alias in methods)) out[alias] = (ctx, p) => out[name]!(ctx, p)
  }
  return out
}
