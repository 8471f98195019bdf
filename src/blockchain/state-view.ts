/** The state after one block, as RPC reads it: flat reads plus proofs from the block's trie root. */
import type { Address, Hash } from '../primitives/index.ts'
import { addressKey, type AccountInfo, type FlatReader, type proveAccount } from '../state/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'
import type { StateView } from './chain-reader.ts'

/** The chain's own view: the ChainReader's StateView with the flat reads block building needs. */
export interface FlatStateView extends StateView, FlatReader {}

export function stateView(reader: FlatReader, stateRoot: Hash, nodes: TrieNodeStore, prove: typeof proveAccount): FlatStateView {
  return {
    stateRoot,
    code: reader.code,
    getFlatAccount: (a: Address) => reader.getFlatAccount(a),
    getAccount: (a: Address): AccountInfo | undefined => reader.getAccount(a),
    getStorage: (a: Address, k: bigint) => reader.getStorage(a, k),
    hasStorage: (a: Address) => reader.hasStorage(a),
    storageEntries: (a: Address) => reader.storageEntries(a),
    proof: (a: Address, slots: readonly bigint[]) => prove(nodes, stateRoot, a, slots),
  }
}

/**
 * The head's view with its reads remembered as RPC returns them (RPC clients poll the same few
 * accounts): the chain's flat cache (src/state/flat-cache.ts) keeps decoded flat records, this
 * keeps the finished `AccountInfo` with its code, so a read is one map lookup. Valid until the
 * head moves, when the chain drops it; at most `maxEntries` of each, then it starts over.
 */
export function cachedView(view: FlatStateView, maxEntries = 16_384): FlatStateView {
  const accounts = new Map<string, AccountInfo | null>()
  const slots = new Map<string, bigint>()
  return {
    ...view,
    getAccount(a: Address): AccountInfo | undefined {
      const k = addressKey(a)
      let v = accounts.get(k)
      if (v === undefined) {
        if (accounts.size >= maxEntries) accounts.clear()
        accounts.set(k, (v = view.getAccount(a) ?? null))
      }
      return v ?? undefined
    },
    getStorage(a: Address, key: bigint): bigint {
      const k = `${addressKey(a)}:${key}`
      let v = slots.get(k)
      if (v === undefined) {
        if (slots.size >= maxEntries) slots.clear()
        slots.set(k, (v = view.getStorage(a, key)))
      }
      return v
    },
  }
}
