/**
 * The t8n transactions: a JSON list of transaction objects (geth's JSON field names: `gas`,
 * `input`, `v`/`r`/`s`, ...), each either signed or unsigned with a `secretKey` to sign it with
 * (EIP-155 unless `protected: false`), or an RLP list of signed transactions in block-body form
 * (`txsRlp`, or a `.rlp` file holding a JSON hex string). The result's `body` is the same RLP
 * list of the included ones.
 *
 * A transaction that cannot be built is reported as rejected (with `error`), like an invalid one;
 * malformed JSON values stop the tool (T8nError 'json'), malformed outer RLP too ('rlp').
 */
import {
  chainIdFromV,
  decodeTransaction,
  encodeTransaction,
  signTransaction,
  TransactionError,
  type AccessList,
  type Authorization,
  type Transaction,
  type UnsignedTransaction,
} from '../../types/index.ts'
import { decodeRlp, encodeRlp, rlpList, type Address } from '../../primitives/index.ts'
import { T8nError } from './t8n-errors.ts'
import { address, array, bool, bytes, hash, object, optQuantity, quantity, type Obj } from './t8n-json.ts'

/** One input transaction: ready to execute, or the reason it is rejected without running. */
export type TxInput = { tx: Transaction } | { error: string }

/** geth's wording when an RLP blob or set-code transaction has no `to` (EEST matches on it). */
const CREATE_NOT_ALLOWED: Record<number, string> = {
  3: 'rlp: input string too short for common.Address, decoding into (types.BlobTx).To',
  4: 'rlp: input string too short for common.Address, decoding into (types.SetCodeTx).To',
}

export function parseJsonTxs(v: unknown, chainId: bigint): TxInput[] {
  if (v === undefined || v === null) return []
  return array(v, 'txs').map((raw, i) => txFromJson(object(raw, `txs[${i}]`), `txs[${i}]`, chainId))
}

function accessListOf(v: unknown, path: string): AccessList {
  if (v === undefined || v === null) return []
  return array(v, path).map((raw, i) => {
    const item = object(raw, `${path}[${i}]`)
    const keys = item.storageKeys === undefined || item.storageKeys === null ? [] : array(item.storageKeys, `${path}[${i}].storageKeys`)
    return { address: address(item.address, `${path}[${i}].address`), storageKeys: keys.map((k, j) => hash(k, `${path}[${i}].storageKeys[${j}]`)) }
  })
}

function authorizationsOf(v: unknown, path: string): Authorization[] {
  return array(v, path).map((raw, i) => {
    const p = `${path}[${i}]`
    const a = object(raw, p)
    const parity = optQuantity(a.yParity, `${p}.yParity`, 64) ?? optQuantity(a.v, `${p}.v`, 64)
    if (parity === undefined) throw new T8nError('json', `${p}: missing required field 'yParity'`)
    if (parity > 255n) throw new T8nError('json', `${p}.yParity: ${parity} is wider than 8 bits`)
    return {
      chainId: quantity(a.chainId, `${p}.chainId`),
      address: address(a.address, `${p}.address`),
      nonce: quantity(a.nonce, `${p}.nonce`, 64),
      yParity: Number(parity),
      r: quantity(a.r, `${p}.r`),
      s: quantity(a.s, `${p}.s`),
    }
  })
}

function txFromJson(t: Obj, path: string, chainId: bigint): TxInput {
  const q = (f: string, bits: 64 | 256 = 256) => optQuantity(t[f], `${path}.${f}`, bits)
  const need = (f: string, bits: 64 | 256 = 256): bigint => {
    const v = q(f, bits)
    if (v === undefined) throw new T8nError('json', `${path}: missing required field '${f}'`)
    return v
  }
  const type = Number(q('type', 64) ?? 0n)
  if (type > 4) throw new T8nError('json', `${path}.type: transaction type ${type} not supported`)
  const input = t.input ?? t.data
  const common = {
    nonce: need('nonce', 64),
    gasLimit: t.gas !== undefined ? quantity(t.gas, `${path}.gas`, 64) : need('gasLimit', 64),
    to: t.to === undefined || t.to === null || t.to === '' ? null : (address(t.to, `${path}.to`) as Address | null),
    value: q('value') ?? 0n,
    data: input === undefined || input === null ? new Uint8Array(0) : bytes(input, `${path}.input`),
  }
  if ((type === 3 || type === 4) && common.to === null) return { error: CREATE_NOT_ALLOWED[type]! }
  const txChainId = q('chainId') ?? chainId
  const accessList = accessListOf(t.accessList, `${path}.accessList`)
  const dynamic = () => ({ chainId: txChainId, maxPriorityFeePerGas: need('maxPriorityFeePerGas'), maxFeePerGas: need('maxFeePerGas'), accessList })
  const key = t.secretKey === undefined || t.secretKey === null ? undefined : hash(t.secretKey, `${path}.secretKey`)
  const v = q('v'), r = q('r'), s = q('s'), yParity = q('yParity', 64)
  const signed = !!(v || r || s || yParity)
  const protect = t.protected === undefined || t.protected === null ? true : bool(t.protected, `${path}.protected`)

  let unsigned: UnsignedTransaction
  switch (type) {
    case 0:
      unsigned = { type, ...common, gasPrice: need('gasPrice'), ...(signed ? { chainId: v === undefined ? undefined : chainIdFromV(v) } : protect ? { chainId } : {}) }
      break
    case 1:
      unsigned = { type, ...common, chainId: txChainId, gasPrice: need('gasPrice'), accessList }
      break
    case 2:
      unsigned = { type, ...common, ...dynamic() }
      break
    case 3:
      unsigned = {
        type, ...common, to: common.to!, ...dynamic(), maxFeePerBlobGas: need('maxFeePerBlobGas'),
        blobVersionedHashes: array(t.blobVersionedHashes, `${path}.blobVersionedHashes`).map((h, j) => hash(h, `${path}.blobVersionedHashes[${j}]`)),
      }
      break
    default:
      unsigned = { type: 4, ...common, to: common.to!, ...dynamic(), authorizationList: authorizationsOf(t.authorizationList, `${path}.authorizationList`) }
  }

  if (key && !signed) {
    try {
      return { tx: signTransaction(unsigned, key) }
    } catch (e) {
      throw new T8nError('json', `failed signing transactions: ${path}: ${e instanceof Error ? e.message : String(e)}`, e)
    }
  }
  if (r === undefined || s === undefined) throw new T8nError('json', `${path}: missing required field '${r === undefined ? 'r' : 's'}' (or a secretKey to sign with)`)
  if (unsigned.type === 0) {
    if (v === undefined) throw new T8nError('json', `${path}: missing required field 'v'`)
    return { tx: { ...unsigned, v, r, s } }
  }
  if (yParity !== undefined && v !== undefined && yParity !== v) throw new T8nError('json', `${path}: 'v' and 'yParity' (${v}, ${yParity}) differ`)
  const parity = yParity ?? v
  if (parity === undefined) throw new T8nError('json', `${path}: missing required field 'yParity'`)
  if (parity > 1n) return { error: 'invalid transaction v, r, s values' }
  return { tx: { ...unsigned, yParity: Number(parity), r, s } as Transaction }
}

/** Transactions from an RLP list in block-body form; an undecodable item is rejected, not fatal. */
export function decodeRlpTxs(body: Uint8Array): TxInput[] {
  let items
  try {
    items = rlpList(decodeRlp(body), 'transactions')
  } catch (e) {
    throw new T8nError('rlp', `failed decoding the transactions RLP: ${e instanceof Error ? e.message : String(e)}`, e)
  }
  return items.map((item): TxInput => {
    const type = Array.isArray(item) ? 0 : (item[0] ?? 0)
    try {
      // A legacy transaction is the list itself; a typed one is a byte string holding type || rlp.
      if (Array.isArray(item)) return { tx: decodeTransaction(encodeRlp(item)) }
      if (item.length === 0 || item[0]! >= 0x80) return { error: 'rlp: typed transaction too short' }
      return { tx: decodeTransaction(item) }
    } catch (e) {
      if (!(e instanceof TransactionError)) throw e
      const createError = e.kind === 'create-not-allowed' ? CREATE_NOT_ALLOWED[type] : undefined
      if (createError) return { error: createError }
      return { error: `rlp: ${e.details ?? e.message}` }
    }
  })
}

/** The RLP list of `txs` in block-body form (geth's `body` output and `.rlp` input). */
export function encodeBody(txs: readonly Transaction[]): Uint8Array {
  return encodeRlp(txs.map((tx) => (tx.type === 0 ? decodeRlp(encodeTransaction(tx)) : encodeTransaction(tx))))
}
