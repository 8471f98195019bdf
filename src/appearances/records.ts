/**
 * The value of one `appearances` entry (src/storage/tables.ts: address, block): the block's
 * transactions that touched the address, in order, each `index(4) kind(1)`, and for a creation
 * the creator's address (20) after it. A transaction that touched and created has both records.
 */
import { bytesToHex, type Address } from '../primitives/index.ts'

/** What one transaction contributes to the index. Producer: the RPC layer's Otterscan tracer. */
export interface TxAppearances {
  /** Every address seen as a call frame's sender or recipient, the transaction's own included. */
  touched: Address[]
  /** Contracts the transaction created (only frames that succeeded, as did all above them), with their direct creator. */
  created: { address: Address; creator: Address }[]
}

export interface AppearanceRecord {
  tx: number
  /** Set when the transaction created the contract at this address. */
  creator?: Address
}

const TOUCHED = 0
const CREATED = 1

export function encodeRecords(records: readonly AppearanceRecord[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + (r.creator ? 25 : 5), 0))
  const view = new DataView(out.buffer)
  let o = 0
  for (const r of records) {
    view.setUint32(o, r.tx)
    out[o + 4] = r.creator ? CREATED : TOUCHED
    if (r.creator) out.set(r.creator, o + 5)
    o += r.creator ? 25 : 5
  }
  return out
}

export function decodeRecords(value: Uint8Array): AppearanceRecord[] {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  const out: AppearanceRecord[] = []
  for (let o = 0; o + 5 <= value.length; ) {
    const tx = view.getUint32(o)
    if (value[o + 4] === CREATED) {
      out.push({ tx, creator: value.slice(o + 5, o + 25) })
      o += 25
    } else {
      out.push({ tx })
      o += 5
    }
  }
  return out
}

/** A block's transactions grouped by address (hex): each address once per transaction. */
export function groupByAddress(txs: readonly TxAppearances[]): Map<string, { address: Address; records: AppearanceRecord[] }> {
  const by = new Map<string, { address: Address; records: AppearanceRecord[] }>()
  const add = (address: Address, r: AppearanceRecord) => {
    const k = bytesToHex(address)
    let e = by.get(k)
    if (!e) by.set(k, (e = { address, records: [] }))
    const last = e.records.at(-1)
    if (!r.creator && last?.tx === r.tx) return
    e.records.push(r)
  }
  txs.forEach((t, tx) => {
    for (const a of t.touched) add(a, { tx })
    for (const c of t.created) add(c.address, { tx, creator: c.creator })
  })
  return by
}
