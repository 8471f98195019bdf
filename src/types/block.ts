/**
 * Blocks: `[header, transactions, ommers]`, plus `withdrawals` from Shanghai (EIP-4895); a body
 * is the same without the header (eth/68 `BlockBodies`). Transactions are in block-body form:
 * legacy ones as RLP lists, typed ones as byte strings holding their canonical encoding.
 *
 * The block is parsed once; the encodings of the header, the ommers and each transaction are
 * kept as views into the input, so their hashes need no re-encoding.
 */
import { decodeRlp, RlpError, rlpList, encodeRlp, type RlpItem, type Hash } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'
import { encodeHeader, headerFromRlp, headerHash, type Header } from './header.ts'
import { rlpListFromEncoded, rlpListItems } from './rlp-raw.ts'
import type { Transaction } from './transaction.ts'
import { encodingCache } from './tx-cache.ts'
import { decodeLegacyFields, decodeTransaction } from './tx-decode.ts'
import { encodeBlockTransaction } from './tx-encode.ts'
import { withdrawalFromRlp, withdrawalToRlp, type Withdrawal } from './withdrawal.ts'

export interface BlockBody {
  transactions: Transaction[]
  ommers: Header[]
  /** From Shanghai. */
  withdrawals?: Withdrawal[]
}

export interface Block extends BlockBody {
  header: Header
}

function transactionsFromRlp(items: RlpItem[], raws: Uint8Array[]): Transaction[] {
  const out: Transaction[] = new Array(items.length)
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    try {
      if (Array.isArray(item)) {
        const tx = decodeLegacyFields(item)
        encodingCache.set(tx, raws[i]!)
        out[i] = tx
      } else {
        if (item.length === 0 || item[0]! >= 0x80) throw new TransactionError('malformed', 'a wrapped transaction must start with its type byte')
        out[i] = decodeTransaction(item)
      }
    } catch (err) {
      if (err instanceof TransactionError)
        throw new TransactionError(err.kind, `transaction ${i}: ${err.details}`, { field: err.field, cause: err, txType: err.txType })
      throw err
    }
  }
  return out
}

/** Body fields from the items after the header; `raws` are their encodings. */
function bodyFromRlp(f: RlpItem[], raws: Uint8Array[]): BlockBody {
  if (f.length !== 2 && f.length !== 3) throw new RlpError('wrong-shape', `block body has ${f.length} parts, expected 2 or 3`)
  const txItems = rlpList(f[0], 'transactions')
  const ommerItems = rlpList(f[1], 'ommers')
  const body: BlockBody = {
    transactions: transactionsFromRlp(txItems, rlpListItems(raws[0]!)),
    ommers: (() => {
      const ommerRaws = rlpListItems(raws[1]!)
      return ommerItems.map((h, i) => headerFromRlp(h, ommerRaws[i]))
    })(),
  }
  if (f.length === 3) body.withdrawals = rlpList(f[2], 'withdrawals').map(withdrawalFromRlp)
  return body
}

/** Decodes an RLP block. Throws `RlpError` or, for a bad transaction, `TransactionError`. */
export function decodeBlock(bytes: Uint8Array): Block {
  const f = rlpList(decodeRlp(bytes), 'block')
  if (f.length !== 3 && f.length !== 4) throw new RlpError('wrong-shape', `block has ${f.length} parts, expected 3 or 4`)
  const raws = rlpListItems(bytes)
  const header = headerFromRlp(f[0]!, raws[0])
  // EIP-4895: the withdrawals list is present exactly when the header commits to one.
  if ((header.withdrawalsRoot !== undefined) !== (f.length === 4))
    throw new RlpError('wrong-shape', header.withdrawalsRoot ? 'block has a withdrawals root but no withdrawals list' : 'block has a withdrawals list but no withdrawals root')
  return { header, ...bodyFromRlp(f.slice(1), raws.slice(1)) }
}

/** Decodes a block body: `[transactions, ommers, withdrawals?]`. */
export function decodeBlockBody(bytes: Uint8Array): BlockBody {
  return bodyFromRlp(rlpList(decodeRlp(bytes), 'block body'), rlpListItems(bytes))
}

function bodyParts(b: BlockBody): Uint8Array[] {
  const parts = [rlpListFromEncoded(b.transactions.map(encodeBlockTransaction)), rlpListFromEncoded(b.ommers.map(encodeHeader))]
  if (b.withdrawals) parts.push(encodeRlp(b.withdrawals.map(withdrawalToRlp)))
  return parts
}

export function encodeBlock(b: Block): Uint8Array {
  return rlpListFromEncoded([encodeHeader(b.header), ...bodyParts(b)])
}

export function encodeBlockBody(b: BlockBody): Uint8Array {
  return rlpListFromEncoded(bodyParts(b))
}

export const blockHash = (b: Block): Hash => headerHash(b.header)
