/**
 * The chain's store in fork mode: a local key-value store (the fork's own blocks and writes)
 * over the upstream's state at the fork block. The chain, the flat state and the journal stay
 * as they are: a flat-table read (`accounts`, `storage`, `code`) that the local store lacks is
 * answered from the remote state (./remote-state.ts), so local writes always win. A delete in
 * those tables is kept as a tombstone (an empty value), so that an account or slot removed on
 * the fork does not reappear from the upstream. Below the fork block the canonical index answers
 * the upstream's hashes (BLOCKHASH). The fork block's state root stands for an empty trie node:
 * the upstream's trie is not here, so the roots of blocks mined on the fork commit only what
 * changed on the fork (an intended difference from the upstream's roots, as with anvil).
 *
 * Iteration sees local entries only (an account's upstream slots cannot be listed over
 * JSON-RPC): `hasStorage` of an untouched upstream account is false (EIP-7610's collision check).
 */
import { keccak256 } from '../crypto/index.ts'
import { bytesToBigint, bytesToHex, EMPTY_BYTES, encodeRlp, equalBytes, type Hash } from '../primitives/index.ts'
import { EMPTY_CODE_HASH, encodeFlatAccount, encodeSlotValue } from '../state/index.ts'
import { decodeNumber, Tables, trieNodeKey, type Entry, type IterateOptions, type KeyValueReader, type KeyValueStore, type Snapshot, type WriteBatch } from '../storage/index.ts'
import type { RemoteState } from './remote-state.ts'

export interface ForkStoreOptions {
  local: KeyValueStore
  remote: RemoteState
  forkStateRoot: Hash
  /** Balances that replace the upstream's at the fork block (the dev accounts, as anvil funds them), by 0x address. */
  balances?: ReadonlyMap<string, bigint>
  /** Contracts that stand in where the upstream has no account (the system contracts a dev chain has). */
  absent?: ReadonlyMap<string, { nonce: bigint; code: Uint8Array }>
}

const ACCOUNTS = Tables.accounts.prefix[0]!
const STORAGE = Tables.storage.prefix[0]!
const CODE = Tables.code.prefix[0]!
const CANONICAL = Tables.canonical.prefix[0]!
const TRIE = Tables.trieNodes.prefix[0]!
/** A branch node with no children: the local stand-in for the upstream's state trie. */
const EMPTY_BRANCH = encodeRlp(Array.from({ length: 17 }, () => EMPTY_BYTES))

const tombstoned = (k: Uint8Array) => k[0] === ACCOUNTS || k[0] === STORAGE

/** The fork's store, which can move to another fork block. */
export interface ForkStore extends KeyValueStore {
  /** Empties the local store and reads `remote` (another fork block) from now on (anvil_reset). */
  rebase(remote: RemoteState, forkStateRoot: Hash): void
}

/** At most this many local entries are deleted per batch when the fork moves. */
const CLEAR_BATCH = 10_000

export function openForkStore(o: ForkStoreOptions): ForkStore {
  const { local } = o
  let remote = o.remote
  let rootKey = trieNodeKey(o.forkStateRoot)
  const standInCode = new Map([...(o.absent?.values() ?? [])].map(({ code }) => [bytesToHex(keccak256(code)), code]))

  function fromRemote(k: Uint8Array): Uint8Array | undefined {
    switch (k[0]) {
      case ACCOUNTS: {
        const address = k.subarray(1, 21)
        const a = remote.account(address)
        const balance = o.balances?.get(bytesToHex(address))
        const stand = a ? undefined : o.absent?.get(bytesToHex(address))
        if (stand) return encodeFlatAccount({ nonce: stand.nonce, balance: balance ?? 0n, codeHash: keccak256(stand.code) })
        if (!a) return balance === undefined ? undefined : encodeFlatAccount({ nonce: 0n, balance, codeHash: EMPTY_CODE_HASH })
        return encodeFlatAccount({ nonce: a.nonce, balance: balance ?? a.balance, codeHash: a.codeHash })
      }
      case STORAGE: {
        const v = remote.storage(k.subarray(1, 21), bytesToBigint(k.subarray(21)))
        return v === 0n ? undefined : encodeSlotValue(v)
      }
      case CODE:
        return standInCode.get(bytesToHex(k.subarray(1))) ?? remote.code(k.subarray(1))
      case CANONICAL: {
        const n = decodeNumber(k, 1)
        return n < remote.block ? remote.blockHash(n) : undefined
      }
      case TRIE:
        return equalBytes(k, rootKey) ? EMPTY_BRANCH : undefined
    }
    return undefined
  }

  const reader = (base: KeyValueReader): KeyValueReader => {
    const get = (k: Uint8Array): Uint8Array | undefined => {
      const v = base.get(k)
      if (v !== undefined) return tombstoned(k) && v.length === 0 ? undefined : v
      return fromRemote(k)
    }
    return { get, has: (k) => get(k) !== undefined, iterate }
    function* iterate(opts?: IterateOptions): IterableIterator<Entry> {
      for (const e of base.iterate(opts)) if (!(tombstoned(e[0]) && e[1].length === 0)) yield e
    }
  }

  const wrapBatch = (b: WriteBatch): WriteBatch => {
    const w: WriteBatch = {
      put: (k, v) => (b.put(k, v), w),
      delete: (k) => (tombstoned(k) ? b.put(k, EMPTY_BYTES) : b.delete(k), w),
      get length() {
        return b.length
      },
      write: (opts) => b.write(opts),
      clear: () => b.clear(),
    }
    return w
  }

  const r = reader(local)
  return {
    backend: `fork over ${local.backend}`,
    get: r.get,
    has: r.has,
    iterate: r.iterate,
    put: (k, v, opts) => local.put(k, v, opts),
    delete: (k, opts) => (tombstoned(k) ? local.put(k, EMPTY_BYTES, opts) : local.delete(k, opts)),
    batch: () => wrapBatch(local.batch()),
    snapshot(): Snapshot {
      const s = local.snapshot()
      return { ...reader(s), release: () => s.release() }
    },
    close: () => local.close(),
    rebase(next, forkStateRoot) {
      for (;;) {
        const batch = local.batch()
        for (const [k] of local.iterate({ limit: CLEAR_BATCH })) batch.delete(k)
        if (batch.length === 0) break
        batch.write()
      }
      remote = next
      rootKey = trieNodeKey(forkStateRoot)
    },
  }
}
