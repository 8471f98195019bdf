/**
 * Field readers shared by the transaction decoders: each turns one field into a value or throws
 * a `TransactionError` naming the field. Integers must be minimal (no leading zeros); widths are
 * checked here only where the type itself bounds them (nonce and gas limit are 64-bit), the
 * 256-bit bounds are validation's (`validateTransaction`), in that order, as the reference
 * clients report them.
 *
 * A payload is split lazily ({@link splitFields}): its top level is checked strictly (canonical
 * headers, items within the list, no trailing bytes), while a list item stays undecoded until a
 * field reader needs it as a list. So a list where a byte string belongs is reported as that
 * field's error, whatever the list holds; nested lists are decoded strictly when read.
 */
import { bytesToBigint, decodeRlpHeader, decodeRlp, RlpError, type Address, type RlpItem } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'

/** A list item of a payload, not decoded yet: its encoding. */
export class LazyList {
  constructor(readonly raw: Uint8Array) {}
}

/** One field: a byte string, a decoded list (block bodies are decoded whole), or a lazy list. */
export type Field = RlpItem | LazyList

/** Converts an `RlpError` from a primitives call into a `malformed` transaction error. */
export function asMalformed(err: unknown): never {
  if (err instanceof RlpError) throw new TransactionError('malformed', err.details ?? err.message, { cause: err })
  throw err
}

/** The top-level items of the RLP list that spans all of `bytes`. */
export function splitFields(bytes: Uint8Array): Field[] {
  try {
    const h = decodeRlpHeader(bytes, 0, bytes.length)
    if (!h.list) throw new TransactionError('malformed', 'transaction payload must be an RLP list')
    const end = h.start + h.length
    if (end !== bytes.length) throw new RlpError('trailing-bytes', `${bytes.length - end} bytes after the payload`)
    const out: Field[] = []
    for (let p = h.start; p < end; ) {
      const item = decodeRlpHeader(bytes, p, end)
      const stop = item.start + item.length
      out.push(item.list ? new LazyList(bytes.subarray(p, stop)) : bytes.subarray(item.start, stop))
      p = stop
    }
    return out
  } catch (err) {
    return asMalformed(err)
  }
}

/** Big-endian unsigned integer (the 8-bytes-at-a-time reader in primitives). */
export const uintFromBytes = bytesToBigint

const isList = (f: Field): boolean => Array.isArray(f) || f instanceof LazyList

export function txBytes(item: Field | undefined, field: string): Uint8Array {
  if (item === undefined) throw new TransactionError('field-count', `too few fields: missing ${field}`, { field })
  if (isList(item)) throw new TransactionError('field-type', `${field} must be a byte string, not a list`, { field })
  return item as Uint8Array
}

export function txList(item: Field | undefined, field: string): RlpItem[] {
  if (item === undefined) throw new TransactionError('field-count', `too few fields: missing ${field}`, { field })
  if (item instanceof LazyList) {
    let decoded: RlpItem
    try {
      decoded = decodeRlp(item.raw)
    } catch (err) {
      return asMalformed(err)
    }
    return decoded as RlpItem[]
  }
  if (!Array.isArray(item)) throw new TransactionError('field-type', `${field} must be a list`, { field })
  return item
}

/** A minimal big-endian unsigned integer of any width. */
export function txUint(item: Field | undefined, field: string): bigint {
  const b = txBytes(item, field)
  if (b.length > 0 && b[0] === 0) throw new TransactionError('leading-zeros', `${field} has leading zeros`, { field })
  return uintFromBytes(b)
}

/** A minimal unsigned integer below 2^64; wider values fail with `overflow`. */
export function txUint64(
  item: Field | undefined,
  field: string,
  overflow: 'nonce-overflow' | 'gas-limit-overflow',
): bigint {
  const b = txBytes(item, field)
  // Width first: nine bytes are too many for a 64-bit field whatever they hold.
  if (b.length > 8) throw new TransactionError(overflow, `${field} is ${b.length} bytes, more than 64 bits`, { field })
  if (b.length > 0 && b[0] === 0) throw new TransactionError('leading-zeros', `${field} has leading zeros`, { field })
  return uintFromBytes(b)
}

export function txAddress(item: Field | undefined, field: string): Address {
  const b = txBytes(item, field)
  if (b.length !== 20) throw new TransactionError('address-length', `${field} must be 20 bytes, got ${b.length}`, { field })
  return b
}

/** `to`: empty for contract creation, otherwise exactly 20 bytes. */
export function txTo(item: Field | undefined): Address | null {
  const b = txBytes(item, 'to')
  return b.length === 0 ? null : txAddress(b, 'to')
}

/** A small integer such as a y parity, which must fit in one byte. */
export function txParity(item: Field | undefined, field: string): number {
  const n = txUint(item, field)
  if (n > 255n) throw new TransactionError('invalid-signature', `${field} ${n} is out of range`, { field })
  return Number(n)
}

/** Throws when `fields` has more items than the `expected` ones already read. */
export function noExtraFields(fields: Field[], expected: number, what: string): void {
  if (fields.length > expected)
    throw new TransactionError('field-count', `too many fields: ${what} has ${expected}, got ${fields.length}`)
}
