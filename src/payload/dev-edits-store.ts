/**
 * Dev edits made durable: an acknowledged anvil_setBalance survives a SIGKILL. Every change of
 * the pending edits rewrites one record, the edits with the head they were made on; once mined
 * they are cleared. A record whose head is no longer the chain's head was mined (the block went
 * in and the process died before the record was cleared) or left behind by a head move, so it is
 * dropped: edits are never applied twice.
 */
import { decodeBlockEdits, encodeBlockEdits, type BlockEdits } from '../blockchain/index.ts'
import { decodeRlp, encodeRlp, equalBytes, rlpBytes, rlpList, type Hash } from '../primitives/index.ts'
import { MetaKeys, type KeyValueStore } from '../storage/index.ts'
import { DevEdits } from './dev-edits.ts'

const encode = (head: Hash, edits: BlockEdits): Uint8Array => encodeRlp([head, encodeBlockEdits(edits)])

function decode(bytes: Uint8Array): { head: Hash; edits: BlockEdits } {
  const [head, edits] = rlpList(decodeRlp(bytes), 'dev edits')
  // a record of the first layout holds the account list itself (no chain id): read as one
  const block = Array.isArray(edits) ? encodeRlp([[], edits]) : rlpBytes(edits, 'dev edits')
  return { head: rlpBytes(head, 'dev edits head'), edits: decodeBlockEdits(block) }
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
    if (edits.empty) db.delete(MetaKeys.devEdits)
    else db.put(MetaKeys.devEdits, encode(head(), edits.list()))
  }
  return edits
}
