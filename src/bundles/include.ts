/**
 * Bundles at the top of a block being built, each atomically or not at all: every bundle is
 * first simulated on a throwaway state over the block so far (./simulate.ts on
 * `BlockBuilder.scratch`), and added transaction by transaction only when all of them are
 * valid, none reverts unless its hash is in `revertingTxHashes`, and the bundle pays the fee
 * recipient (coinbaseDiff > 0). Bundles go in by bundleGasPrice, best first (each priced alone
 * at the top of the block; ties by arrival), as mev-geth orders them.
 *
 * Consumers: the dev miner and the Engine API's payload builder, through `BuildOptions.top`.
 */
import { bytesToHex } from '../primitives/index.ts'
import type { BlockBuilder } from '../payload/index.ts'
import type { Bundle } from './bundle.ts'
import { BundleError } from './errors.ts'
import { simulateBundle, type BundleSimulation } from './simulate.ts'

/** A bundle's simulation where it would go, or why it cannot go there. */
function trial(builder: BlockBuilder, b: Bundle): BundleSimulation | undefined {
  const at = builder.scratch()
  try {
    const sim = simulateBundle(at.state, b.txs, at, { blockGasUsed: at.gasUsed, blockBlobGasUsed: at.blobGasUsed })
    const reverted = sim.results.some((r) => r.status !== 'success' && !b.revertingTxHashes.has(bytesToHex(r.hash)))
    return reverted || sim.coinbaseDiff === 0n ? undefined : sim
  } catch (e) {
    if (e instanceof BundleError) return undefined
    throw e
  }
}

/** Adds the bundles that qualify at the top of `builder`'s block; returns those included with their simulations. */
export function includeBundles(builder: BlockBuilder, bundles: readonly Bundle[]): { bundle: Bundle; sim: BundleSimulation }[] {
  const ranked =
    bundles.length < 2
      ? bundles
      : bundles
          .map((b) => ({ b, price: trial(builder, b)?.bundleGasPrice }))
          .filter((x) => x.price !== undefined)
          .sort((x, y) => (x.price! === y.price! ? 0 : x.price! > y.price! ? -1 : 1))
          .map((x) => x.b)
  const out: { bundle: Bundle; sim: BundleSimulation }[] = []
  for (const b of ranked) {
    const sim = trial(builder, b)
    if (!sim) continue
    const before = builder.count
    for (const t of b.txs) builder.add({ tx: t.tx, sender: t.sender })
    // the simulation ran the same transactions on the same state and block
    if (builder.count !== before + b.txs.length) throw new Error(`bundle ${bytesToHex(b.hash)} went in partly after its simulation passed`)
    out.push({ bundle: b, sim })
  }
  return out
}
