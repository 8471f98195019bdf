/**
 * From call arguments to the message RPC execution runs (geth's CallDefaults + ToMessage): the
 * zero address as default sender, gas defaulting to and capped at the RPC gas cap, fees per
 * fork — with no fee given the price is 0 and base-fee checks are skipped (geth's NoBaseFee).
 */
import type { TransactMessage } from '../../executor/index.ts'
import { EMPTY_BYTES, ZERO_ADDRESS } from '../../primitives/index.ts'
import { MAX_TX_GAS_LIMIT, txRules } from '../../types/index.ts'
import type { CallArgs } from './call-args.ts'
import type { ExecEnv } from './env.ts'

/** The executor's message, with what the RPC needs to know of it. */
export interface CallMessage extends TransactMessage {
  /** No fee given: the block's base fee (and blob base fee) read as 0, as in geth. */
  zeroFees: boolean
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

export function toMessage(a: CallArgs, x: ExecEnv, gasCap: bigint): CallMessage {
  const rules = txRules(x.fork)
  let gas = a.gas ?? (gasCap > 0n ? gasCap : MAX_SAFE)
  if (gasCap > 0n && gas > gasCap) gas = gasCap
  if (a.gas === undefined && rules.eip7825 && gas > MAX_TX_GAS_LIMIT) gas = MAX_TX_GAS_LIMIT
  let gasPrice: bigint, feeCap: bigint, tipCap: bigint
  if (!rules.eip1559) {
    gasPrice = feeCap = tipCap = a.gasPrice ?? 0n
  } else if (a.gasPrice !== undefined) {
    gasPrice = feeCap = tipCap = a.gasPrice
  } else {
    feeCap = a.maxFeePerGas ?? 0n
    tipCap = a.maxPriorityFeePerGas ?? 0n
    gasPrice = feeCap === 0n && tipCap === 0n ? 0n : min(x.env.baseFee + tipCap, feeCap)
  }
  return {
    from: a.from ?? ZERO_ADDRESS,
    to: a.to ?? null,
    gas,
    gasPrice,
    feeCap,
    tipCap,
    value: a.value ?? 0n,
    data: a.input ?? EMPTY_BYTES,
    accessList: a.accessList ?? [],
    blobHashes: a.blobVersionedHashes ?? [],
    blobFeeCap: a.maxFeePerBlobGas ?? 0n,
    authorizationList: a.authorizationList,
    nonce: a.nonce,
    zeroFees: feeCap === 0n && tipCap === 0n,
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}
