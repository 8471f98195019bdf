/**
 * ExecutionPayloadV1, V2 and V3 as JSON, both ways (paris.md, shanghai.md, cancun.md):
 * parsing is strict (every field of the shape, no other, exact byte lengths, canonical
 * quantities; -32602 naming the field), formatting turns a built Block into the shape a
 * getPayload version returns. Transactions stay opaque bytes here: a zero-length or
 * undecodable one makes the payload INVALID, not the call (paris.md, newPayloadV1 6), which is
 * payload-block.ts's business.
 */
import { bigintToHex, bytesToHex } from '../primitives/index.ts'
import { encodeTransaction, type Block, type BlockBody, type Withdrawal } from '../types/index.ts'
import { params, type Reader } from './fields.ts'
import type { ExecutionPayload, PayloadShape } from './types.ts'

const V1_FIELDS = [
  'parentHash',
  'feeRecipient',
  'stateRoot',
  'receiptsRoot',
  'logsBloom',
  'prevRandao',
  'blockNumber',
  'gasLimit',
  'gasUsed',
  'timestamp',
  'extraData',
  'baseFeePerGas',
  'blockHash',
  'transactions',
] as const
const V2_FIELDS = [...V1_FIELDS, 'withdrawals'] as const
const V3_FIELDS = [...V2_FIELDS, 'blobGasUsed', 'excessBlobGas'] as const

/** The fields of each shape, in the spec's order. */
export const PAYLOAD_FIELDS: Readonly<Record<PayloadShape, readonly string[]>> = { 1: V1_FIELDS, 2: V2_FIELDS, 3: V3_FIELDS }

/** EIP-3675 via the Yellow Paper: extraData is at most 32 bytes. */
export const MAX_EXTRA_DATA = 32

/** The shape a payload's fields make: V3 with blob gas, V2 with withdrawals, else V1. */
export function payloadShape(p: ExecutionPayload): PayloadShape {
  return p.blobGasUsed !== undefined ? 3 : p.withdrawals !== undefined ? 2 : 1
}

/** WithdrawalV1 (shanghai.md); `r` decides the error code (-32602 or -38003 in attributes). */
export function parseWithdrawal(r: Reader, v: unknown, at: string): Withdrawal {
  const o = r.object(v, at, ['index', 'validatorIndex', 'address', 'amount'])
  return {
    index: r.quantity(o.index, `${at}.index`, 64),
    validatorIndex: r.quantity(o.validatorIndex, `${at}.validatorIndex`, 64),
    address: r.data(o.address, `${at}.address`, { length: 20 }),
    amount: r.quantity(o.amount, `${at}.amount`, 64),
  }
}

export function parseWithdrawals(r: Reader, v: unknown, at: string): Withdrawal[] {
  return r.list(v, at).map((w, i) => parseWithdrawal(r, w, `${at}[${i}]`))
}

/**
 * Parses an ExecutionPayload of one of `shapes`. Fields are read as the widest accepted shape
 * allows; the result's own shape (payloadShape) must then be one of `shapes`, so a V2 payload
 * sent to newPayloadV3 names its missing field, and one with blob fields sent to V2 the extra.
 */
export function parseExecutionPayload(v: unknown, shapes: readonly PayloadShape[], at = 'executionPayload'): ExecutionPayload {
  const widest = Math.max(...shapes) as PayloadShape
  const narrowest = Math.min(...shapes) as PayloadShape
  const o = params.object(v, at, PAYLOAD_FIELDS[narrowest], PAYLOAD_FIELDS[widest])
  const f = (name: string) => `${at}.${name}`
  const hash = (name: string) => params.data(o[name], f(name), { length: 32 })
  const p: ExecutionPayload = {
    parentHash: hash('parentHash'),
    feeRecipient: params.data(o.feeRecipient, f('feeRecipient'), { length: 20 }),
    stateRoot: hash('stateRoot'),
    receiptsRoot: hash('receiptsRoot'),
    logsBloom: params.data(o.logsBloom, f('logsBloom'), { length: 256 }),
    prevRandao: hash('prevRandao'),
    blockNumber: params.quantity(o.blockNumber, f('blockNumber'), 64),
    gasLimit: params.quantity(o.gasLimit, f('gasLimit'), 64),
    gasUsed: params.quantity(o.gasUsed, f('gasUsed'), 64),
    timestamp: params.quantity(o.timestamp, f('timestamp'), 64),
    extraData: params.data(o.extraData, f('extraData'), { max: MAX_EXTRA_DATA }),
    baseFeePerGas: params.quantity(o.baseFeePerGas, f('baseFeePerGas'), 256),
    blockHash: hash('blockHash'),
    transactions: params.list(o.transactions, f('transactions')).map((t, i) => params.data(t, `${f('transactions')}[${i}]`)),
  }
  if (o.withdrawals !== undefined) p.withdrawals = parseWithdrawals(params, o.withdrawals, f('withdrawals'))
  // EIP-4844: the two blob-gas fields come together
  if ((o.blobGasUsed === undefined) !== (o.excessBlobGas === undefined))
    params.fail(at, `missing field ${JSON.stringify(o.blobGasUsed === undefined ? 'blobGasUsed' : 'excessBlobGas')}`)
  if (o.blobGasUsed !== undefined) {
    p.blobGasUsed = params.quantity(o.blobGasUsed, f('blobGasUsed'), 64)
    p.excessBlobGas = params.quantity(o.excessBlobGas, f('excessBlobGas'), 64)
    if (p.withdrawals === undefined) params.fail(at, 'missing field "withdrawals"')
  }
  return p
}

export function formatWithdrawal(w: Withdrawal): Record<string, string> {
  return { index: bigintToHex(w.index), validatorIndex: bigintToHex(w.validatorIndex), address: bytesToHex(w.address), amount: bigintToHex(w.amount) }
}

/** A built block as the ExecutionPayload of `shape` (getPayload); `blockHash` is the header's hash. */
export function formatExecutionPayload(block: Block, blockHash: Uint8Array, shape: PayloadShape): Record<string, unknown> {
  const h = block.header
  const out: Record<string, unknown> = {
    parentHash: bytesToHex(h.parentHash),
    feeRecipient: bytesToHex(h.coinbase),
    stateRoot: bytesToHex(h.stateRoot),
    receiptsRoot: bytesToHex(h.receiptsRoot),
    logsBloom: bytesToHex(h.logsBloom),
    prevRandao: bytesToHex(h.mixHash),
    blockNumber: bigintToHex(h.number),
    gasLimit: bigintToHex(h.gasLimit),
    gasUsed: bigintToHex(h.gasUsed),
    timestamp: bigintToHex(h.timestamp),
    extraData: bytesToHex(h.extraData),
    baseFeePerGas: bigintToHex(h.baseFeePerGas ?? 0n),
    blockHash: bytesToHex(blockHash),
    transactions: block.transactions.map((tx) => bytesToHex(encodeTransaction(tx))),
  }
  if (shape >= 2) out.withdrawals = (block.withdrawals ?? []).map(formatWithdrawal)
  if (shape >= 3) {
    out.blobGasUsed = bigintToHex(h.blobGasUsed ?? 0n)
    out.excessBlobGas = bigintToHex(h.excessBlobGas ?? 0n)
  }
  return out
}

/**
 * ExecutionPayloadBodyV1 (shanghai.md, getPayloadBodiesByHash/Range): `null` for a block not
 * held, `withdrawals: null` before Shanghai.
 */
export function formatPayloadBody(body: BlockBody | undefined): Record<string, unknown> | null {
  if (!body) return null
  return {
    transactions: body.transactions.map((tx) => bytesToHex(encodeTransaction(tx))),
    withdrawals: body.withdrawals ? body.withdrawals.map(formatWithdrawal) : null,
  }
}
