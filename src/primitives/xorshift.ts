/** Deterministic pseudo-random numbers (xorshift32) in [0, 2^32): seeded workloads, samplers, tests and benches. */
export function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return s >>> 0
  }
}
