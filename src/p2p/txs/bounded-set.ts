/** A set that forgets its oldest entries beyond `cap` (per-peer known hashes, recent rejections). */
export interface BoundedSet {
  has(key: string): boolean
  add(key: string): void
  delete(key: string): void
  readonly size: number
}

export function boundedSet(cap: number): BoundedSet {
  const s = new Set<string>()
  return {
    has: (k) => s.has(k),
    add(k) {
      if (s.has(k)) return
      s.add(k)
      // a Set iterates in insertion order: the first entry is the oldest
      if (s.size > cap) s.delete(s.values().next().value!)
    },
    delete: (k) => void s.delete(k),
    get size() {
      return s.size
    },
  }
}
