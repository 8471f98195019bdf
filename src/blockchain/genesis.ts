/**
 * Writing a chain's genesis into an empty store: the alloc as flat state and trie nodes, the
 * genesis block as canonical block 0, the markers and the layout version — one batch.
 */
import { genesisHeader, type ChainSpec } from '../chainspec/index.ts'
import { bytesToHex, equalBytes, hexToBytes, type Hash } from '../primitives/index.ts'
import { commitChangeSet, EMPTY_CODE_HASH, writeChangeSet, type ChangeSet, type ChangeSetCode } from '../state/index.ts'
import { keccak256 } from '../crypto/index.ts'
import { encodeNumber, MetaKeys, SCHEMA_VERSION, trieNodeKey, type KeyValueStore, type WriteBatch } from '../storage/index.ts'
import { EMPTY_TRIE_ROOT, type TrieNodeStore } from '../trie/index.ts'
import { headerHash, type Block, type Header } from '../types/index.ts'
import { writeBlock, writeCanonical } from './chain-store.ts'
import { ChainError } from './errors.ts'

/** The alloc as the change set that creates it. */
export function allocChangeSet(spec: ChainSpec): { changes: ChangeSet; codes: ChangeSetCode[] } {
  const changes: ChangeSet = []
  const codes: ChangeSetCode[] = []
  for (const [addr, a] of spec.alloc()) {
    let codeHash = EMPTY_CODE_HASH
    if (a.code.length > 0) {
      codeHash = keccak256(a.code)
      codes.push({ hash: codeHash, code: a.code })
    }
    const slots: [bigint, bigint, bigint][] = []
    for (const [k, v] of a.storage) if (v !== 0n) slots.push([k, 0n, v])
    changes.push({ address: hexToBytes(addr), after: { nonce: a.nonce, balance: a.balance, codeHash }, cleared: false, wiped: [], slots })
  }
  return { changes, codes }
}

/**
 * Writes genesis into an empty store. `header` overrides the spec's genesis header (block
 * tests carry their own); its state root must match the alloc.
 */
export function writeGenesis(db: KeyValueStore, spec: ChainSpec, header?: Header): Hash {
  const { changes, codes } = allocChangeSet(spec)
  const store: TrieNodeStore = { get: (h) => db.get(trieNodeKey(h)) }
  const commit = commitChangeSet(store, EMPTY_TRIE_ROOT, changes)
  const h = header ?? genesisHeader(spec, commit.stateRoot)
  if (!equalBytes(h.stateRoot, commit.stateRoot))
    throw new ChainError('GENESIS_MISMATCH', 'the genesis state does not match the genesis header', `alloc root ${bytesToHex(commit.stateRoot)}, header has ${bytesToHex(h.stateRoot)}`)
  const batch = db.batch()
  for (const [hash, rlp] of commit.nodes) batch.put(trieNodeKey(hash), rlp)
  writeChangeSet(batch, changes, 'redo', codes)
  writeFirstBlock(batch, h, changes)
  batch.write({ sync: true })
  return headerHash(h)
}

/** The first block of a chain whose state lives below the store (a fork's base), as the head. */
export function writeBaseBlock(db: KeyValueStore, header: Header): Hash {
  const batch = db.batch()
  writeFirstBlock(batch, header, [])
  batch.write({ sync: true })
  return headerHash(header)
}

function writeFirstBlock(batch: WriteBatch, h: Header, changes: ChangeSet): void {
  const block: Block = { header: h, transactions: [], ommers: [], ...(h.withdrawalsRoot ? { withdrawals: [] } : {}) }
  const hash = writeBlock(batch, block, [], [], changes)
  writeCanonical(batch, block, hash)
  for (const m of ['head', 'safe', 'finalized'] as const) batch.put(MetaKeys[m], hash)
  batch.put(MetaKeys.schemaVersion, encodeNumber(SCHEMA_VERSION))
}
