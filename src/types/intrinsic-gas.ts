/**
 * Intrinsic gas: what a transaction costs before its first instruction runs, and from Prague the
 * EIP-7623 calldata floor. Split into the counts a transaction contributes
 * ({@link intrinsicGasInputs}) and the per-fork prices ({@link intrinsicGas}), so the txpool and
 * the executor can reuse the counts.
 */
import { accessListCounts } from './access-list.ts'
import { txRules, type ForkName, type TxRules } from './fork.ts'
import type { Transaction } from './transaction.ts'

export const TX_BASE_GAS = 21_000
/** EIP-2 (Homestead): contract creation. Frontier charged creation as a plain call. */
export const TX_CREATE_GAS = 32_000
export const TX_DATA_ZERO_GAS = 4
export const TX_DATA_NON_ZERO_GAS_FRONTIER = 68
/** EIP-2028 (Istanbul). */
export const TX_DATA_NON_ZERO_GAS = 16
/** EIP-2930 (Berlin). */
export const ACCESS_LIST_ADDRESS_GAS = 2_400
export const ACCESS_LIST_STORAGE_KEY_GAS = 1_900
/** EIP-3860 (Shanghai): per 32-byte word of initcode. */
export const INITCODE_WORD_GAS = 2
/** EIP-3860: initcode size limit, twice the EIP-170 code size limit. */
export const MAX_INITCODE_SIZE = 49_152
/** EIP-7702 (Prague): PER_EMPTY_ACCOUNT_COST per authorization. */
export const PER_AUTHORIZATION_GAS = 25_000
/** EIP-7623 (Prague): floor price per calldata token (a zero byte is 1 token, other bytes 4). */
export const TOTAL_COST_FLOOR_PER_TOKEN = 10
/** EIP-7825 (Osaka): transaction gas limit cap. */
export const MAX_TX_GAS_LIMIT = 1n << 24n

/** What intrinsic gas is computed from. */
export interface IntrinsicGasInputs {
  zeroBytes: number
  nonZeroBytes: number
  accessListAddresses: number
  accessListStorageKeys: number
  authorizations: number
  isCreate: boolean
  /** 32-byte words of initcode (of `data` when creating, else 0). */
  initcodeWords: number
}

export interface IntrinsicGas {
  /** Gas charged up front. */
  gas: bigint
  /** EIP-7623 floor the gas used cannot go below (0 before Prague). */
  floor: bigint
}

export function intrinsicGasInputs(tx: Transaction): IntrinsicGasInputs {
  const data = tx.data
  let zeroBytes = 0
  for (let i = 0; i < data.length; i++) if (data[i] === 0) zeroBytes++
  const al = tx.type === 0 ? { addresses: 0, storageKeys: 0 } : accessListCounts(tx.accessList)
  const isCreate = tx.to === null
  return {
    zeroBytes,
    nonZeroBytes: data.length - zeroBytes,
    accessListAddresses: al.addresses,
    accessListStorageKeys: al.storageKeys,
    authorizations: tx.type === 4 ? tx.authorizationList.length : 0,
    isCreate,
    initcodeWords: isCreate ? Math.ceil(data.length / 32) : 0,
  }
}

/** Intrinsic gas and calldata floor of `tx` (or of precomputed inputs) under `fork`'s rules. */
export function intrinsicGas(tx: Transaction | IntrinsicGasInputs, fork: ForkName | TxRules): IntrinsicGas {
  const rules = typeof fork === 'string' ? txRules(fork) : fork
  const x = 'zeroBytes' in tx ? tx : intrinsicGasInputs(tx)
  let gas = TX_BASE_GAS
  if (x.isCreate && rules.eip2) gas += TX_CREATE_GAS
  gas += x.zeroBytes * TX_DATA_ZERO_GAS
  gas += x.nonZeroBytes * (rules.eip2028 ? TX_DATA_NON_ZERO_GAS : TX_DATA_NON_ZERO_GAS_FRONTIER)
  gas += x.accessListAddresses * ACCESS_LIST_ADDRESS_GAS + x.accessListStorageKeys * ACCESS_LIST_STORAGE_KEY_GAS
  if (rules.eip3860) gas += x.initcodeWords * INITCODE_WORD_GAS
  gas += x.authorizations * PER_AUTHORIZATION_GAS
  // EIP-7623: calldata floor.
  const floor = rules.eip7623 ? TX_BASE_GAS + (x.zeroBytes + 4 * x.nonZeroBytes) * TOTAL_COST_FLOOR_PER_TOKEN : 0
  return { gas: BigInt(gas), floor: BigInt(floor) }
}
