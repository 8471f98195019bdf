/** Trie keys as nibble paths, and the hex-prefix (compact) encoding of Yellow Paper appendix C. */
import { TrieError } from './errors.ts'

export type Nibbles = Uint8Array

export function bytesToNibbles(key: Uint8Array): Nibbles {
  const out = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4
    out[2 * i + 1] = key[i]! & 15
  }
  return out
}

/** Packs an even-length nibble path back into bytes. */
export function nibblesToBytes(n: Nibbles): Uint8Array {
  const out = new Uint8Array(n.length >> 1)
  for (let i = 0; i < out.length; i++) out[i] = (n[2 * i]! << 4) | n[2 * i + 1]!
  return out
}

export function commonPrefixLength(a: Nibbles, b: Nibbles): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a[i] === b[i]) i++
  return i
}

export function concatNibbles(a: Nibbles, b: Nibbles): Nibbles {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** Hex-prefix encoding: flag nibble (2 = leaf, +1 = odd length), padded to whole bytes. */
export function encodeHexPrefix(path: Nibbles, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array((path.length >> 1) + 1)
  const flag = (leaf ? 2 : 0) + odd
  if (odd) {
    out[0] = (flag << 4) | path[0]!
    for (let i = 1; i < path.length; i += 2) out[(i + 1) >> 1] = (path[i]! << 4) | path[i + 1]!
  } else {
    out[0] = flag << 4
    for (let i = 0; i < path.length; i += 2) out[(i >> 1) + 1] = (path[i]! << 4) | path[i + 1]!
  }
  return out
}

export function decodeHexPrefix(b: Uint8Array): { path: Nibbles; leaf: boolean } {
  if (b.length === 0) throw new TrieError('bad-node', 'empty hex-prefix path')
  const flag = b[0]! >> 4
  if (flag > 3) throw new TrieError('bad-node', `hex-prefix flag ${flag}`)
  const odd = flag & 1
  if (!odd && (b[0]! & 15) !== 0) throw new TrieError('bad-node', 'non-zero padding in an even hex-prefix path')
  const all = bytesToNibbles(b)
  return { path: all.subarray(odd ? 1 : 2), leaf: flag >= 2 }
}
