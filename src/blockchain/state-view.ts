/** The state after one block, as RPC reads it: flat reads plus proofs from the block's trie root. */
import type { Address, Hash } from '../primitives/index.ts'
import type { AccountInfo, AccountProof, FlatReader, proveAccount } from '../state/index.ts'
import type { TrieNodeStore } from '../trie/index.ts'

export interface StateView extends FlatReader {
  readonly stateRoot: Hash
  proof(address: Address, slots: readonly bigint[]): AccountProof
}

export function stateView(reader: FlatReader, stateRoot: Hash, nodes: TrieNodeStore, prove: typeof proveAccount): StateView {
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

