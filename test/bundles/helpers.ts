/** Shared by the bundle tests and the bundle bench: a contract that logs, stores, pays the fee recipient and reverts on odd input; signed dev transactions. */
import { DEV_PRIVATE_KEYS, dev } from '../../src/chainspec/index.ts'
import { bigintToWord, bytesToHex, hexToBytes, type Address } from '../../src/primitives/index.ts'
import { encodeTransaction, signTransaction, type Transaction } from '../../src/types/index.ts'

/**
 * Runtime: x = calldata[0:32]; LOG1(mem[0:32] = x, topic x); SSTORE(x, NUMBER); CALL(coinbase,
 * value = CALLVALUE); REVERT(mem[0:32]) when x is odd, else STOP.
 */
export const PAYER_RUNTIME = '600035806000528060206000a1438155600060006000600034415af150600116602457005b60206000fd'
/** Init code: copies the 42-byte runtime out and returns it. */
export const PAYER_INIT = `0x602a600c600039602a6000f3${PAYER_RUNTIME}`

export const GWEI = 10n ** 9n

export interface TxSpec {
  account: number
  nonce: bigint
  to: Address | null
  data?: Uint8Array
  value?: bigint
  tip?: bigint
  gas?: bigint
  legacy?: boolean
  chainId?: bigint
}

export function signedTx(s: TxSpec): Transaction {
  const key = hexToBytes(DEV_PRIVATE_KEYS[s.account]!)
  const common = { chainId: s.chainId ?? dev.chainId, nonce: s.nonce, gasLimit: s.gas ?? 200_000n, to: s.to, value: s.value ?? 0n, data: s.data ?? new Uint8Array(0) }
  if (s.legacy) return signTransaction({ type: 0, ...common, gasPrice: 50n * GWEI }, key)
  return signTransaction({ type: 2, ...common, maxPriorityFeePerGas: s.tip ?? GWEI, maxFeePerGas: 100n * GWEI, accessList: [] }, key)
}

export const raw = (t: Transaction) => bytesToHex(encodeTransaction(t))
export const word = (n: bigint) => bigintToWord(n)
