/**
 * Bundles (layer 6): ordered groups of signed transactions that run at the top of a block, all
 * of them or none, as Flashbots' searchers send them. Flow: raw transactions from eth_callBundle
 * or eth_sendBundle → `decodeBundleTxs` (./bundle.ts: decode, sender, chain, no duplicates) →
 * either `simulateBundle` (./simulate.ts) on a block's state, answering with Flashbots'
 * accounting (coinbaseDiff, ethSentToCoinbase, gasFees, bundleGasPrice), or `BundleStore`
 * (./store.ts), which keeps the bundle for its target block until the block producer (the dev
 * miner, the Engine API's builder) puts it at the top with `includeBundles` (./include.ts),
 * atomically.
 *
 * Consumers: the RPC (src/rpc/methods/bundle.ts), the execution profile's block producers
 * (src/profiles/components/bundles.ts wires `includeBundles` into `BuildOptions.top`).
 */
export { BundleError, type BundleErrorKind } from './errors.ts'
export { bundleHash, decodeBundleTxs, MAX_BUNDLE_TXS, type Bundle, type BundleTx } from './bundle.ts'
export { simulateBundle, type BundleSimulation, type SimulatedTx, type SimulateOptions, type SimulationEnv } from './simulate.ts'
export { BundleStore, MAX_KEPT_BUNDLES } from './store.ts'
export { includeBundles } from './include.ts'
