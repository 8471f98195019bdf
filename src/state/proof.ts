/** EIP-1186 proofs (eth_getProof) of an account and some of its slots, from the stored trie nodes. */
import { bigintToWord, bytesToBigint, decodeRlp, rlpBytes, type Address, type Hash } from '../primitives/index.ts'
import { createProof, EMPTY_TRIE_ROOT, Trie, type TrieNodeStore } from '../trie/index.ts'
import { decodeTrieAccount } from './commit.ts'
import { EMPTY_CODE_HASH } from './flat-state.ts'

export interface AccountProof {
  address: Address
  nonce: bigint
  balance: bigint
  codeHash: Hash
  storageHash: Hash
  accountProof: Uint8Array[]
  storageProof: { key: bigint; value: bigint; proof: Uint8Array[] }[]
}

export function proveAccount(store: TrieNodeStore, stateRoot: Hash, address: Address, slots: readonly bigint[]): AccountProof {
  const accounts = new Trie({ store, root: stateRoot, secure: true })
  const leaf = accounts.get(address)
  const a = leaf ? decodeTrieAccount(leaf) : { nonce: 0n, balance: 0n, storageRoot: EMPTY_TRIE_ROOT, codeHash: EMPTY_CODE_HASH }
  const storage = new Trie({ store, root: a.storageRoot, secure: true })
  return {
    address,
    nonce: a.nonce,
    balance: a.balance,
    codeHash: a.codeHash,
    storageHash: a.storageRoot,
    accountProof: createProof(accounts, address),
    storageProof: slots.map((key) => {
      const k = bigintToWord(key)
      const v = storage.get(k)
      return { key, value: v ? bytesToBigint(rlpBytes(decodeRlp(v), 'slot value')) : 0n, proof: createProof(storage, k) }
    }),
  }
}
