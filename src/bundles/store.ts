/**
 * The bundles eth_sendBundle hands in, kept by target block until that block is built or the
 * chain passes it. A bundle sent again (same hash, same block) replaces the first. Consumers:
 * eth_sendBundle (`add`), the dev miner and the Engine API's builder (`forBlock`, through
 * ./include.ts), the chain's head events (`prune`).
 */
import { bytesToHex } from '../primitives/index.ts'
import type { Bundle } from './bundle.ts'
import { BundleError } from './errors.ts'

/** Bundles kept at most, over all blocks. */
export const MAX_KEPT_BUNDLES = 10_000

export class BundleStore {
  private readonly byBlock = new Map<bigint, Map<string, Bundle>>()
  private count = 0

  constructor(private readonly max = MAX_KEPT_BUNDLES) {}

  get size(): number {
    return this.count
  }

  /** Keeps `b` for its block; `head` is the chain's head number (a bundle for it or below is refused). */
  add(b: Bundle, head: bigint): void {
    if (b.blockNumber <= head) throw new BundleError('stale', `block ${b.blockNumber} is already on the chain (head ${head}): target a later block`)
    let m = this.byBlock.get(b.blockNumber)
    const key = bytesToHex(b.hash)
    if (!m?.has(key) && this.count >= this.max) throw new BundleError('full', `${this.max} bundles are waiting already`)
    if (!m) this.byBlock.set(b.blockNumber, (m = new Map()))
    if (!m.has(key)) this.count++
    m.set(key, b)
  }

  /** The bundles for block `number` whose time window holds `timestamp`, in arrival order. */
  forBlock(number: bigint, timestamp: bigint): Bundle[] {
    const m = this.byBlock.get(number)
    if (!m) return []
    return [...m.values()].filter((b) => (b.minTimestamp === undefined || timestamp >= b.minTimestamp) && (b.maxTimestamp === undefined || b.maxTimestamp === 0n || timestamp <= b.maxTimestamp))
  }

  /** Drops the bundles of blocks up to `head` (built, or passed). */
  prune(head: bigint): void {
    for (const [n, m] of this.byBlock) {
      if (n > head) continue
      this.count -= m.size
      this.byBlock.delete(n)
    }
  }
}
