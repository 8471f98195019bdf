/**
 * The SQLite store (`bun:sqlite`): one table per kind of entry, one transaction per block that
 * also moves the `head` row, WAL journal (a commit survives a crash of the process; `flush()`
 * checkpoints with fsync). A wiped account is a `DELETE … WHERE address = ?` and then its new
 * slots, the way an SQL store does it; other slots are upserts and deletes.
 *
 *   accounts(address BLOB PRIMARY KEY, nonce INTEGER, balance BLOB, code_hash BLOB)
 *   storage(address BLOB, slot BLOB, value BLOB, PRIMARY KEY (address, slot))
 *   code(hash BLOB PRIMARY KEY, code BLOB)
 *   head(id 0, number INTEGER, hash BLOB, transitions INTEGER)
 *
 * Balances and values are minimal big-endian bytes, slots 32-byte words (byte order is numeric
 * order), nonces integers (EIP-2681 allows up to 2^64 - 1; SQLite's integers stop at 2^63 - 1,
 * which no chain reaches).
 */
import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { bigintToBytes, bigintToWord, bytesToBigint } from '../../primitives/index.ts'
import type { StateStore, StoreOptions } from '../store.ts'
import type { BlockDiff, BlockRef } from '../types.ts'
import { diskUsage } from './disk.ts'
import { headAfter, orderedWrites } from './order.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (address BLOB PRIMARY KEY, nonce INTEGER NOT NULL, balance BLOB NOT NULL, code_hash BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS storage (address BLOB NOT NULL, slot BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (address, slot)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS code (hash BLOB PRIMARY KEY, code BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS head (id INTEGER PRIMARY KEY CHECK (id = 0), number INTEGER NOT NULL, hash BLOB NOT NULL, transitions INTEGER NOT NULL);
`

export async function openSqliteStateStore(opts: StoreOptions): Promise<StateStore> {
  mkdirSync(opts.dir, { recursive: true })
  const db = new Database(join(opts.dir, 'state.sqlite'), { create: true, safeIntegers: true, strict: true })
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec(SCHEMA)
  const q = {
    putAccount: db.query('INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?)'),
    delAccount: db.query('DELETE FROM accounts WHERE address = ?'),
    getAccount: db.query<{ nonce: bigint; balance: Uint8Array; code_hash: Uint8Array }, [Uint8Array]>('SELECT nonce, balance, code_hash FROM accounts WHERE address = ?'),
    putSlot: db.query('INSERT OR REPLACE INTO storage VALUES (?, ?, ?)'),
    delSlot: db.query('DELETE FROM storage WHERE address = ? AND slot = ?'),
    wipe: db.query('DELETE FROM storage WHERE address = ?'),
    getSlot: db.query<{ value: Uint8Array }, [Uint8Array, Uint8Array]>('SELECT value FROM storage WHERE address = ? AND slot = ?'),
    putCode: db.query('INSERT OR IGNORE INTO code VALUES (?, ?)'),
    getCode: db.query<{ code: Uint8Array }, [Uint8Array]>('SELECT code FROM code WHERE hash = ?'),
    setHead: db.query('INSERT OR REPLACE INTO head VALUES (0, ?, ?, ?)'),
    clearHead: db.query('DELETE FROM head'),
    getHead: db.query<{ number: bigint; hash: Uint8Array; transitions: bigint }, []>('SELECT number, hash, transitions FROM head WHERE id = 0'),
    count: (table: string) => db.query<{ n: bigint }, []>(`SELECT count(*) AS n FROM ${table}`),
  }
  const counts = { accounts: q.count('accounts'), storage: q.count('storage'), code: q.count('code') }
  const row = q.getHead.get()
  let head: BlockRef | undefined = row ? { number: row.number, hash: row.hash } : undefined
  let transitions = row ? Number(row.transitions) : 0

  const write = db.transaction((d: BlockDiff) => {
    for (const c of d.codes) q.putCode.run(c.hash, c.code)
    for (const a of d.accounts) {
      if (a.after) q.putAccount.run(a.address, a.after.nonce, bigintToBytes(a.after.balance), a.after.codeHash)
      else q.delAccount.run(a.address)
      if (a.wiped) q.wipe.run(a.address)
      for (const [s, , v] of a.slots) {
        if (v !== 0n) q.putSlot.run(a.address, bigintToWord(s), bigintToBytes(v))
        else if (!a.wiped) q.delSlot.run(a.address, bigintToWord(s))
      }
    }
    const next = headAfter(d)
    if (next) q.setHead.run(next.number, next.hash, BigInt(transitions + 1))
    else q.clearHead.run()
    return next
  })


  return {
    kind: 'sqlite',
    head: () => head,
    ...orderedWrites('sqlite', () => head, (d) => {
      head = write(d)
      transitions++
    }),
    account(address) {
      const r = q.getAccount.get(address)
      return r ? { nonce: r.nonce, balance: bytesToBigint(r.balance), codeHash: r.code_hash } : undefined
    },
    slot(address, slot) {
      const r = q.getSlot.get(address, bigintToWord(slot))
      return r ? bytesToBigint(r.value) : 0n
    },
    code: (hash) => q.getCode.get(hash)?.code,
    flush() {
      db.exec('PRAGMA wal_checkpoint(FULL)')
    },
    stats: () => ({
      bytesOnDisk: diskUsage(opts.dir),
      entries: { accounts: Number(counts.accounts.get()!.n), slots: Number(counts.storage.get()!.n), codes: Number(counts.code.get()!.n) },
      transitions,
    }),
    async close() {
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
      db.close()
    },
  }
}
