/**
 * The RocksDB flat store: Mosaic's own storage layer (src/storage) and its flat-state layout,
 * as the chain keeps it: `accounts` (address → rlp [nonce, balance, codeHash]), `storage`
 * (address ‖ slot → value, zero slots deleted), `code` (hash → code), and the store's record
 * under one `meta` key. One write batch per block holds the block's writes and the new record.
 */
import { bigintToWord, bytesToBigint, concatBytes, utf8ToBytes } from '../../primitives/index.ts'
import { decodeFlatAccount, encodeFlatAccount, encodeSlotValue } from '../../state/index.ts'
import { accountKey, codeKey, openRocksStore, storageKey, Tables } from '../../storage/index.ts'
import type { StateStore, StoreOptions } from '../store.ts'
import type { BlockDiff } from '../types.ts'
import { diskUsage } from './disk.ts'
import { decodeMeta, encodeMeta, metaAfter } from './meta.ts'
import { orderedWrites } from './order.ts'

const META_KEY = concatBytes(Tables.meta.prefix, utf8ToBytes('statediff.store'))

export async function openRocksStateStore(opts: StoreOptions): Promise<StateStore> {
  const db = await openRocksStore(opts.dir)
  let meta = decodeMeta(db.get(META_KEY))

  const write = (d: BlockDiff) => {
    const batch = db.batch()
    let newCodes = 0
    for (const c of d.codes) {
      const k = codeKey(c.hash)
      if (db.has(k)) continue
      batch.put(k, c.code)
      newCodes++
    }
    for (const a of d.accounts) {
      if (a.after) batch.put(accountKey(a.address), encodeFlatAccount(a.after))
      else batch.delete(accountKey(a.address))
      for (const [s, , v] of a.slots) {
        const k = storageKey(a.address, bigintToWord(s))
        if (v === 0n) batch.delete(k)
        else batch.put(k, encodeSlotValue(v))
      }
    }
    const next = metaAfter(meta, d, newCodes)
    batch.put(META_KEY, encodeMeta(next))
    batch.write()
    meta = next
  }

  return {
    kind: 'rocksdb',
    head: () => meta.head,
    ...orderedWrites('rocksdb', () => meta.head, write),
    account(address) {
      const v = db.get(accountKey(address))
      return v && decodeFlatAccount(v)
    },
    slot(address, slot) {
      const v = db.get(storageKey(address, bigintToWord(slot)))
      return v ? bytesToBigint(v) : 0n
    },
    code: (hash) => db.get(codeKey(hash)),
    // rewriting the record with sync fsyncs the write-ahead log, and every batch before it
    flush: () => db.put(META_KEY, encodeMeta(meta), { sync: true }),
    stats: () => ({ bytesOnDisk: diskUsage(opts.dir), entries: { ...meta.entries }, transitions: meta.transitions }),
    close: () => db.close(),
  }
}
