/**
 * Transactions as plain data: one interface per EIP-2718 type, discriminated by `type`.
 *
 * | type | EIP  | payload fields after the signature-independent ones           |
 * | ---- | ---- | ------------------------------------------------------------- |
 * | 0    | —    | legacy: `v` carries the chain id (EIP-155) or is 27/28        |
 * | 1    | 2930 | `chainId`, `accessList`                                       |
 * | 2    | 1559 | `maxPriorityFeePerGas`, `maxFeePerGas` instead of `gasPrice`  |
 * | 3    | 4844 | `maxFeePerBlobGas`, `blobVersionedHashes`; `to` is required   |
 * | 4    | 7702 | `authorizationList`; `to` is required                         |
 *
 * Objects are treated as immutable once built: hashes and senders are cached per object.
 * Byte fields of decoded transactions are views into the decoded input.
 */
import type { Address, Hash } from '../primitives/index.ts'

export type TxType = 0 | 1 | 2 | 3 | 4

export interface AccessListItem {
  address: Address
  storageKeys: Hash[]
}

export type AccessList = AccessListItem[]

/** EIP-7702 authorization tuple: the authority lets `address`'s code run as its own. */
export interface Authorization {
  chainId: bigint
  address: Address
  nonce: bigint
  yParity: number
  r: bigint
  s: bigint
}

interface TxCommon {
  nonce: bigint
  gasLimit: bigint
  to: Address | null
  value: bigint
  data: Uint8Array
  r: bigint
  s: bigint
}

export interface LegacyTransaction extends TxCommon {
  type: 0
  gasPrice: bigint
  /** 27/28, or chainId·2 + 35/36 (EIP-155). Any other value is kept for validation to reject. */
  v: bigint
  /** From `v` when it follows EIP-155; absent for 27/28 (and for invalid values). */
  chainId?: bigint
}

export interface AccessListTransaction extends TxCommon {
  type: 1
  chainId: bigint
  gasPrice: bigint
  accessList: AccessList
  yParity: number
}

export interface DynamicFeeTransaction extends TxCommon {
  type: 2
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  accessList: AccessList
  yParity: number
}

export interface BlobTransaction extends TxCommon {
  type: 3
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  to: Address
  accessList: AccessList
  maxFeePerBlobGas: bigint
  blobVersionedHashes: Hash[]
  yParity: number
}

export interface SetCodeTransaction extends TxCommon {
  type: 4
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  to: Address
  accessList: AccessList
  authorizationList: Authorization[]
  yParity: number
}

export type Transaction =
  | LegacyTransaction
  | AccessListTransaction
  | DynamicFeeTransaction
  | BlobTransaction
  | SetCodeTransaction

export type TypedTransaction = Exclude<Transaction, LegacyTransaction>

/** A transaction without its signature, as `signTransaction` takes it. */
export type UnsignedTransaction =
  | Omit<LegacyTransaction, 'v' | 'r' | 's'>
  | Omit<AccessListTransaction, 'yParity' | 'r' | 's'>
  | Omit<DynamicFeeTransaction, 'yParity' | 'r' | 's'>
  | Omit<BlobTransaction, 'yParity' | 'r' | 's'>
  | Omit<SetCodeTransaction, 'yParity' | 'r' | 's'>

/** Whether the transaction creates a contract (no `to`). */
export const isCreate = (tx: { to: Address | null }): boolean => tx.to === null

/** The gas price bound the sender commits to: `gasPrice`, or `maxFeePerGas` from type 2 on. */
export function gasFeeCap(tx: Transaction): bigint {
  return tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxFeePerGas
}

/** The tip bound: `gasPrice` for types 0 and 1, `maxPriorityFeePerGas` from type 2 on. */
export function gasTipCap(tx: Transaction): bigint {
  return tx.type === 0 || tx.type === 1 ? tx.gasPrice : tx.maxPriorityFeePerGas
}

/** The tip per gas the block producer gets at `baseFee` (EIP-1559: min(tip cap, fee cap − base fee)); negative when the fee cap is below it. */
export function effectiveTip(tx: Transaction, baseFee: bigint): bigint {
  const cap = gasFeeCap(tx) - baseFee
  const tip = gasTipCap(tx)
  return tip < cap ? tip : cap
}

/** Chain id from a legacy `v`: undefined for 27/28 and for values that encode none. */
export function chainIdFromV(v: bigint): bigint | undefined {
  return v >= 35n ? (v - 35n) >> 1n : undefined
}
