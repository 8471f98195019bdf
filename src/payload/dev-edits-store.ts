/**
 * Dev edits made durable: an acknowledged anvil_setBalance survives a SIGKILL. Every change of
 * the pending edits rewrites one record, the edits with the head they were made on; once mined
 * they are cleared. A record whose head is no longer the chain's head was mined (the block went
 * in and the process died before the record was cleared) or left behind by a head move, so it is
 * dropped: edits are never applied twice.
 */
import { bytesToBigint, decodeRlp, encodeRlp, equalBytes, rlpBytes, rlpList, type Hash } from '../primitives/index.ts'
import { MetaKeys, type KeyValueStore } from '../storage/index.ts'
import { DevEdits, type DevEdit } from './dev-edits.ts'


function encode(head: Hash, edits: readonly DevEdit[]): Uint8Array {
  return encodeRlp([
    head,
    edits.map((e) => [e.address, e.balance === undefined ? [] : [e.balance], e.nonce === undefined ? [] : [e.nonce], e.code === undefined ? [] : [e.code], [...e.storage].map(([k, v]) => [k, v])]),
  ])
}

function optional(item: unknown, what: string): Uint8Array | undefined {
  const l = rlpList(item as never, what)
  return l.length ? rlpBytes(l[0], what) : undefined
}

function decode(bytes: Uint8Array): { head: Hash; edits: DevEdit[] } {
  const [head, list] = rlpList(decodeRlp(bytes), 'dev edits')
  return {
    head: rlpBytes(head, 'dev edits head'),
    edits: rlpList(list, 'dev edits').map((item) => {
      const [address, balance, nonce, code, storage] = rlpList(item, 'dev edit')
      const b = optional(balance, 'balance')
      const n = optional(nonce, 'nonce')
      return {
        address: rlpBytes(address, 'address'),
        balance: b && bytesToBigint(b),
        nonce: n && bytesToBigint(n),
        code: optional(code, 'code'),
        storage: new Map(rlpList(storage, 'storage').map((kv) => rlpList(kv, 'slot').map((x) => bytesToBigint(rlpBytes(x, 'slot'))) as [bigint, bigint])),
      }
    }),
  }
}

/** The pending edits of the dev chain in `db`, restored when they belong to its head `head()`, kept durable from now on. */
export function openDevEdits(db: KeyValueStore, head: () => Hash): DevEdits {
  const edits = new DevEdits()
  const stored = db.get(MetaKeys.devEdits)
  if (stored) {
    const r = decode(stored)
    if (equalBytes(r.head, head())) edits.load(r.edits)
    else db.delete(MetaKeys.devEdits)
  }
  edits.onChange = () => {
    if (edits.size === 0) db.delete(MetaKeys.devEdits)
    else db.put(MetaKeys.devEdits, encode(head(), edits.list()))
  }
  return edits
}

