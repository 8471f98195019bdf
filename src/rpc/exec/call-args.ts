/**
 * Transaction arguments as eth_call, eth_estimateGas, eth_createAccessList, eth_simulateV1,
 * eth_sendTransaction, eth_signTransaction and debug_traceCall take them (geth's
 * TransactionArgs): every field optional and validated; `input` and `data` are aliases.
 * Fields the object does not use are ignored, as geth and anvil do, so that a transaction read
 * back with eth_getTransactionByHash (hash, blockHash, v, r, s…) can be passed on as it is.
 */
import { equalBytes, type Address, type Hash } from '../../primitives/index.ts'
import type { AccessList, Authorization } from '../../types/index.ts'
import { ServerError, UnsupportedError } from '../errors.ts'
import { address, array, data, field, hash, object, quantity, uint64, type At } from '../params.ts'

export interface CallArgs {
  from?: Address
  /** null: contract creation. */
  to?: Address | null
  gas?: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  maxFeePerBlobGas?: bigint
  value?: bigint
  nonce?: bigint
  input?: Uint8Array
  accessList?: AccessList
  chainId?: bigint
  type?: number
  blobVersionedHashes?: Hash[]
  authorizationList?: Authorization[]
}

const FIELDS = [
  'from', 'to', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'maxFeePerBlobGas', 'value', 'nonce', 'data', 'input',
  'accessList', 'chainId', 'type', 'blobVersionedHashes', 'authorizationList', 'blobs', 'commitments', 'proofs',
] as const

const MAX_LIST = 10_000
/** The error paths of argument 0's fields ("0.gas"), made once: eth_call parses one per request. */
const FIELD_AT_0: Record<string, string> = Object.fromEntries(FIELDS.map((k) => [k, field(0, k)]))

const present = (v: unknown): boolean => v !== undefined && v !== null

export function parseAccessList(v: unknown, at: At): AccessList {
  return array(v, at, MAX_LIST).map((item, i) => {
    const p = field(at, i)
    const o = object(item, p)
    return {
      address: address(o.address, field(p, 'address')),
      storageKeys: present(o.storageKeys) ? array(o.storageKeys, field(p, 'storageKeys'), MAX_LIST).map((k, j) => hash(k, field(field(p, 'storageKeys'), j))) : [],
    }
  })
}

function parseAuthorizations(v: unknown, at: At): Authorization[] {
  return array(v, at, MAX_LIST).map((item, i) => {
    const p = field(at, i)
    const o = object(item, p)
    const parity = quantity(o.yParity ?? o.v, field(p, 'yParity'), 8)
    return {
      chainId: quantity(o.chainId, field(p, 'chainId')),
      address: address(o.address, field(p, 'address')),
      nonce: uint64(o.nonce, field(p, 'nonce')),
      yParity: Number(parity),
      r: quantity(o.r, field(p, 'r')),
      s: quantity(o.s, field(p, 's')),
    }
  })
}

export function parseCallArgs(v: unknown, at: At): CallArgs {
  const o = object(v, at)
  const a: CallArgs = {}
  const f = (k: (typeof FIELDS)[number]) => (at === 0 ? FIELD_AT_0[k]! : field(at, k))
  if (present(o.from)) a.from = address(o.from, f('from'))
  if (present(o.to)) a.to = address(o.to, f('to'))
  else a.to = null
  if (present(o.gas)) a.gas = uint64(o.gas, f('gas'))
  if (present(o.gasPrice)) a.gasPrice = quantity(o.gasPrice, f('gasPrice'))
  if (present(o.maxFeePerGas)) a.maxFeePerGas = quantity(o.maxFeePerGas, f('maxFeePerGas'))
  if (present(o.maxPriorityFeePerGas)) a.maxPriorityFeePerGas = quantity(o.maxPriorityFeePerGas, f('maxPriorityFeePerGas'))
  if (present(o.maxFeePerBlobGas)) a.maxFeePerBlobGas = quantity(o.maxFeePerBlobGas, f('maxFeePerBlobGas'))
  if (present(o.value)) a.value = quantity(o.value, f('value'))
  if (present(o.nonce)) a.nonce = uint64(o.nonce, f('nonce'))
  const input = present(o.input) ? data(o.input, f('input')) : undefined
  const dataField = present(o.data) ? data(o.data, f('data')) : undefined
  if (input && dataField && !equalBytes(input, dataField))
    throw new ServerError('both "data" and "input" are set and not equal. Please use "input" to pass transaction call data')
  a.input = input ?? dataField
  if (present(o.accessList)) a.accessList = parseAccessList(o.accessList, f('accessList'))
  if (present(o.chainId)) a.chainId = quantity(o.chainId, f('chainId'))
  if (present(o.type)) a.type = Number(quantity(o.type, f('type'), 8))
  if (present(o.blobVersionedHashes)) a.blobVersionedHashes = array(o.blobVersionedHashes, f('blobVersionedHashes'), MAX_LIST).map((h, i) => hash(h, field(f('blobVersionedHashes'), i)))
  if (present(o.authorizationList)) a.authorizationList = parseAuthorizations(o.authorizationList, f('authorizationList'))
  if (present(o.blobs) || present(o.commitments) || present(o.proofs))
    throw new UnsupportedError('blob sidecars (blobs, commitments, proofs) in transaction arguments are not supported: send the network-form transaction with eth_sendRawTransaction')
  // a typed fee-market transaction as eth_getTransactionByHash shows it also carries `gasPrice`,
  // the price it paid: derived, so the fee caps win; elsewhere both at once is geth's error
  if (a.gasPrice !== undefined && a.type !== undefined && a.type >= 2 && a.maxFeePerGas !== undefined) delete a.gasPrice
  if (a.gasPrice !== undefined && (a.maxFeePerGas !== undefined || a.maxPriorityFeePerGas !== undefined))
    throw new ServerError('both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified')
  if (a.maxFeePerGas !== undefined && a.maxPriorityFeePerGas !== undefined && a.maxPriorityFeePerGas > a.maxFeePerGas)
    throw new ServerError(`maxFeePerGas (${a.maxFeePerGas}) < maxPriorityFeePerGas (${a.maxPriorityFeePerGas})`)
  return a
}
