/**
 * State roots on disk: a block's change set applied to the account trie (and each touched
 * account's storage trie) opened at the parent's state root over the stored trie nodes. Only
 * the paths that changed are loaded and re-hashed; the new nodes come back for the block's
 * write batch. Nodes are content-addressed and never overwritten, so any kept root stays
 * readable (side branches, proofs at recent blocks).
 */
import {
  bigintToBytes,
  bigintToWord,
  decodeRlp,
  encodeRlp,
  rlpBytes,
  rlpList,
  rlpUint,
  type Address,
  type Hash,
} from '../primitives/index.ts'
import { EMPTY_TRIE_ROOT, Trie, type CommittedNode, type TrieNodeStore } from '../trie/index.ts'
import type { ChangeSet } from './changeset.ts'

/** The account trie's leaf: [nonce, balance, storageRoot, codeHash]. */
export interface TrieAccount {
  nonce: bigint
  balance: bigint
  storageRoot: Hash
  codeHash: Hash
}

export function decodeTrieAccount(rlp: Uint8Array): TrieAccount {
  const f = rlpList(decodeRlp(rlp), 'trie account')
  return { nonce: rlpUint(f[0], 'nonce', 8), balance: rlpUint(f[1], 'balance'), storageRoot: rlpBytes(f[2], 'storageRoot'), codeHash: rlpBytes(f[3], 'codeHash') }
}

export interface CommitResult {
  stateRoot: Hash
  /** New trie nodes: [hash, rlp, node]. */
  nodes: CommittedNode[]
}

/** Applies `changes` to the state trie at `parentRoot`; returns the new root and the nodes to store. */
export function commitChangeSet(store: TrieNodeStore, parentRoot: Hash, changes: ChangeSet): CommitResult {
  const nodes: CommittedNode[] = []
  const collect = (t: Trie) => {
    for (const n of t.commit()) nodes.push(n)
  }
  const accounts = new Trie({ store, root: parentRoot, secure: true })
  for (const c of changes) {
    if (!c.after) {
      accounts.delete(c.address)
      continue
    }
    const prev = accounts.get(c.address)
    let storageRoot = prev && !c.cleared ? decodeTrieAccount(prev).storageRoot : EMPTY_TRIE_ROOT
    if (c.slots.length > 0) {
      const storage = new Trie({ store, root: storageRoot, secure: true })
      for (const [slot, , after] of c.slots) {
        if (after === 0n) storage.delete(bigintToWord(slot))
        else storage.put(bigintToWord(slot), encodeRlp(bigintToBytes(after)))
      }
      collect(storage)
      storageRoot = storage.root()
    }
    accounts.put(c.address, encodeRlp([c.after.nonce, c.after.balance, storageRoot, c.after.codeHash]))
  }
  collect(accounts)
  return { stateRoot: accounts.root(), nodes }
}

/** The account leaf at `root`, or undefined. */
export function readTrieAccount(store: TrieNodeStore, root: Hash, address: Address): TrieAccount | undefined {
  const v = new Trie({ store, root, secure: true }).get(address)
  return v ? decodeTrieAccount(v) : undefined
}
