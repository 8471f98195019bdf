/**
 * The `bundles` component (execution profile): the bundles eth_sendBundle keeps for their
 * target block (src/bundles' `BundleStore`), dropped once the chain passes that block. The dev
 * miner and the Engine API's builder put a block's bundles at its top through `bundleTop`.
 */
import { BundleStore, includeBundles } from '../../bundles/index.ts'
import { defineComponent, type Logger } from '../../node/index.ts'
import type { BuildOptions } from '../../payload/index.ts'
import { bytesToHex } from '../../primitives/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    bundles: BundleStore
  }
}

/**
 * A producer's `BuildOptions.top`: the store's bundles for the block being built, a debug line
 * each (a build is not always mined: the pending block, the Engine API's rebuilds).
 */
export function bundleTop(store: BundleStore | undefined, log?: Logger): BuildOptions['top'] {
  if (!store) return undefined
  return (builder) => {
    if (store.size === 0) return
    const { number, timestamp } = builder.next
    for (const { bundle, sim } of includeBundles(builder, store.forBlock(number, timestamp)))
      log?.debug('Bundle placed at the top of a block being built', { block: number, hash: bytesToHex(bundle.hash), txs: bundle.txs.length, gas: sim.totalGasUsed, coinbaseDiff: sim.coinbaseDiff })
  }
}

export const bundlesComponent = defineComponent({
  provides: 'bundles',
  requires: ['chain'],
  description: 'bundles kept for their target block (eth_sendBundle); the dev miner and the Engine API builder put them at the top of the block, all or none',
  create({ chain }) {
    const store = new BundleStore()
    const off = chain.onHead((e) => store.prune(e.block.header.number))
    return { service: store, stop: off }
  },
})
