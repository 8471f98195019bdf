/**
 * The LMDB store (the `lmdb` package): four named databases in one environment — `accounts`
 * (address → rlp [nonce, balance, codeHash]), `storage` (address ‖ slot → value), `code` and
 * `meta` (the store's record, ./meta.ts) — and one synchronous write transaction per block
 * holding the block's writes and the record. The environment is opened `noSync`: a commit
 * is written to the file (it survives a crash of the process at once) but not fsync'ed, which
 * costs 20 times the commit itself; `flush()` syncs the environment (then it survives a crash
 * of the machine too).
 */
import { mkdirSync } from 'node:fs'
import { open } from 'lmdb'
import { bigintToWord, bytesToBigint, concatBytes } from '../../primitives/index.ts'
import { decodeFlatAccount, encodeFlatAccount, encodeSlotValue } from '../../state/index.ts'
import type { StateStore, StoreOptions } from '../store.ts'
import type { BlockDiff } from '../types.ts'
import { diskUsage } from './disk.ts'
import { decodeMeta, encodeMeta, metaAfter } from './meta.ts'
import { orderedWrites } from './order.ts'

const META_KEY = new Uint8Array([0])

export async function openLmdbStateStore(opts: StoreOptions): Promise<StateStore> {
  mkdirSync(opts.dir, { recursive: true })
  const env = open({ path: opts.dir, maxDbs: 4, compression: false, noSync: true })
  // RootDatabase.sync(callback) fsyncs the environment; the package's types leave it out
  const root = env as unknown as { sync(cb: (e: unknown) => void): void }
  const sync = () => new Promise<void>((resolve, reject) => root.sync((e) => (e ? reject(e) : resolve())))
  const binary = { encoding: 'binary', keyEncoding: 'binary' } as const
  const accounts = env.openDB({ name: 'accounts', ...binary })
  const storage = env.openDB({ name: 'storage', ...binary })
  const code = env.openDB({ name: 'code', ...binary })
  const metaDb = env.openDB({ name: 'meta', ...binary })
  const slotKey = (address: Uint8Array, slot: bigint) => concatBytes(address, bigintToWord(slot))
  let meta = decodeMeta(metaDb.get(META_KEY))

  const write = (d: BlockDiff) => {
    const next = env.transactionSync(() => {
      let newCodes = 0
      for (const c of d.codes) {
        if (code.doesExist(c.hash)) continue
        code.putSync(c.hash, c.code)
        newCodes++
      }
      for (const a of d.accounts) {
        if (a.after) accounts.putSync(a.address, encodeFlatAccount(a.after))
        else accounts.removeSync(a.address)
        for (const [s, , v] of a.slots) {
          if (v === 0n) storage.removeSync(slotKey(a.address, s))
          else storage.putSync(slotKey(a.address, s), encodeSlotValue(v))
        }
      }
      const m = metaAfter(meta, d, newCodes)
      metaDb.putSync(META_KEY, encodeMeta(m))
      return m
    })
    meta = next
  }

  return {
    kind: 'lmdb',
    head: () => meta.head,
    ...orderedWrites('lmdb', () => meta.head, write),
    account(address) {
      const v = accounts.get(address)
      return v && decodeFlatAccount(v)
    },
    slot(address, slot) {
      const v = storage.get(slotKey(address, slot))
      return v ? bytesToBigint(v) : 0n
    },
    code: (hash) => code.get(hash),
    flush: sync,
    stats: () => ({ bytesOnDisk: diskUsage(opts.dir), entries: { ...meta.entries }, transitions: meta.transitions }),
    async close() {
      await sync()
      await env.close()
    },
  }
}
