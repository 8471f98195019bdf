/**
 * Which keys the verifier reads back: every account and slot written since the last check (up
 * to a cap, sampled beyond it) and a uniform sample of all keys seen so far (reservoir
 * sampling, seeded: the same run samples the same keys). Fed from the stream itself.
 */
import { bytesToHex, xorshift } from '../../primitives/index.ts'
import type { BlockDiff } from '../types.ts'
import type { Probe } from './verify.ts'

export interface SamplerOptions {
  /** Most recent keys checked at one check (default 4,096). */
  recentCap?: number
  /** Size of the sample of all keys (default 65,536). */
  reservoir?: number
  seed?: number
}

export class KeySampler {
  private recent = new Map<string, Probe>()
  private readonly all: Probe[] = []
  private seen = 0
  private readonly rand: () => number
  private readonly recentCap: number
  private readonly reservoirSize: number

  constructor(opts: SamplerOptions = {}) {
    this.recentCap = opts.recentCap ?? 4096
    this.reservoirSize = opts.reservoir ?? 65_536
    this.rand = xorshift(opts.seed ?? 0x5eed)
  }

  /** Records the keys a diff wrote. */
  add(d: BlockDiff): void {
    for (const a of d.accounts) {
      const hex = bytesToHex(a.address)
      this.note(hex, { address: a.address })
      for (const [slot] of a.slots) this.note(`${hex}:${slot}`, { address: a.address, slot })
    }
  }

  private note(key: string, p: Probe): void {
    if (this.recent.size < this.recentCap * 4 || this.recent.has(key)) this.recent.set(key, p)
    this.seen++
    if (this.all.length < this.reservoirSize) this.all.push(p)
    else {
      const j = this.rand() % this.seen
      if (j < this.reservoirSize) this.all[j] = p
    }
  }

  /** The keys written since the last call (at most the cap, an even sample beyond it); clears them. */
  takeRecent(): Probe[] {
    const list = [...this.recent.values()]
    this.recent = new Map()
    if (list.length <= this.recentCap) return list
    const step = list.length / this.recentCap
    return Array.from({ length: this.recentCap }, (_, i) => list[Math.floor(i * step)]!)
  }

  /** `n` keys drawn from all keys seen. */
  random(n: number): Probe[] {
    if (this.all.length === 0) return []
    return Array.from({ length: n }, () => this.all[this.rand() % this.all.length]!)
  }
}
