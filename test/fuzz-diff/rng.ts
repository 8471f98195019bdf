/**
 * The seeded generator's randomness: mulberry32 (32-bit state), so that a case is fully
 * determined by its seed and reproduces from it alone.
 */
export class Rng {
  private s: number

  constructor(seed: number) {
    this.s = seed >>> 0
  }

  /** Uniform in [0, 2^32). */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n)
  }

  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff
    return out
  }

  /** A 256-bit word, uniform. */
  word(): bigint {
    let v = 0n
    for (let i = 0; i < 8; i++) v = (v << 32n) | BigInt(this.u32())
    return v
  }
}
