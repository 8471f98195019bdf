/**
 * Roots of whole key/value sets, built in one native call: the addon sorts the leaves and folds
 * them with a stack, hashing each finished node once (no node store). Used for transaction,
 * receipt and withdrawal roots, and for state roots computed from a full set of accounts.
 */
import { requireNative } from '../crypto/native.ts'
import { encodeRlp, hexToBytes } from '../primitives/index.ts'

/** keccak256(rlp('')): the root of a trie with no entries. */
export const EMPTY_TRIE_ROOT: Uint8Array = hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')

export type TrieEntries = Iterable<readonly [Uint8Array, Uint8Array]>

function pack(items: Uint8Array[]): [Uint8Array, Uint32Array] {
  const offsets = new Uint32Array(items.length + 1)
  let total = 0
  for (let i = 0; i < items.length; i++) offsets[i + 1] = total += items[i]!.length
  const data = new Uint8Array(total)
  for (let i = 0; i < items.length; i++) data.set(items[i]!, offsets[i]!)
  return [data, offsets]
}

function split(entries: TrieEntries): [Uint8Array[], Uint8Array[]] {
  const keys: Uint8Array[] = []
  const values: Uint8Array[] = []
  for (const [k, v] of entries) {
    keys.push(k)
    values.push(v)
  }
  return [keys, values]
}

/** Root of the pairs, keys used as paths. Any order; the last of repeated keys wins; an empty value is absent. */
export function trieRoot(entries: TrieEntries): Uint8Array {
  const [keys, values] = split(entries)
  return requireNative().trieRoot(...pack(keys), ...pack(values))
}

/** Root with keccak256(key) as each path: the state trie and storage tries. */
export function secureTrieRoot(entries: TrieEntries): Uint8Array {
  const [keys, values] = split(entries)
  return requireNative().secureTrieRoot(...pack(keys), ...pack(values))
}

/** Root of a list keyed by rlp(index): transactions, receipts, withdrawals of a block. */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  const keys = values.map((_, i) => encodeRlp(i))
  return requireNative().trieRoot(...pack(keys), ...pack(values as Uint8Array[]))
}
