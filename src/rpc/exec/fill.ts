/**
 * Completes transaction arguments into an unsigned transaction, as anvil and geth's setDefaults
 * do for eth_sendTransaction and eth_signTransaction: chain id, the sender's pending nonce, the
 * type from the fields given (7702 with an authorization list, legacy or 2930 with a gas price,
 * else 1559), fees (tip from the oracle, fee cap = 2 × next base fee + tip), gas by estimation.
 */
import { forkAt } from '../../chainspec/index.ts'
import { nextBaseFee } from '../../executor/index.ts'
import { EMPTY_BYTES, type Address } from '../../primitives/index.ts'
import { isForkAtLeast, type UnsignedTransaction } from '../../types/index.ts'
import type { RpcContext } from '../context.ts'
import { ServerError, UnsupportedError } from '../errors.ts'
import { suggestTip } from '../fee-oracle.ts'
import type { CallArgs } from './call-args.ts'
import { estimateGas } from './estimate.ts'
import { callBase } from './run-call.ts'

export function fillTransaction(ctx: RpcContext, a: CallArgs, from: Address): UnsignedTransaction {
  const spec = ctx.chain.spec
  if (a.chainId !== undefined && a.chainId !== spec.chainId) throw new ServerError(`chainId does not match node's (have=${a.chainId}, want=${spec.chainId})`)
  const head = ctx.chain.head()
  const fork = forkAt(spec, head.number + 1n, head.timestamp + 1n)
  const london = isForkAtLeast(fork, 'london')
  const nonce = a.nonce ?? ctx.pool?.nonce(from) ?? ctx.chain.stateAt(headHash(ctx))?.getAccount(from)?.nonce ?? 0n
  if (a.blobVersionedHashes) throw new UnsupportedError('eth_sendTransaction cannot build blob transactions (no sidecar): sign the network form and use eth_sendRawTransaction')
  const type = a.type ?? (a.authorizationList ? 4 : a.gasPrice !== undefined || !london ? (a.accessList ? 1 : 0) : 2)
  if (type !== 0 && type !== 1 && type !== 2 && type !== 4) throw new UnsupportedError(`transaction type ${type} is not supported here`)
  const common = { nonce, to: a.to ?? null, value: a.value ?? 0n, data: a.input ?? EMPTY_BYTES }
  let fees: { gasPrice: bigint } | { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }
  if (type === 0 || type === 1) {
    fees = { gasPrice: a.gasPrice ?? suggestTip(ctx) + (london ? nextBaseFee(head) : 0n) }
  } else {
    const tip = a.maxPriorityFeePerGas ?? suggestTip(ctx)
    const cap = a.maxFeePerGas ?? 2n * nextBaseFee(head) + tip
    if (tip > cap) throw new ServerError(`maxFeePerGas (${cap}) < maxPriorityFeePerGas (${tip})`)
    fees = { maxPriorityFeePerGas: tip, maxFeePerGas: cap }
  }
  const gasLimit = a.gas ?? estimateGas(ctx, callBase(ctx, { tag: 'pending' }), { ...a, from, nonce, ...fees })
  switch (type) {
    case 0:
      return { type, chainId: spec.chainId, gasLimit, ...common, ...(fees as { gasPrice: bigint }) }
    case 1:
      return { type, chainId: spec.chainId, gasLimit, ...common, ...(fees as { gasPrice: bigint }), accessList: a.accessList ?? [] }
    case 2:
      return { type, chainId: spec.chainId, gasLimit, ...common, ...(fees as { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }), accessList: a.accessList ?? [] }
    case 4: {
      if (!common.to) throw new ServerError('set code transaction of type create')
      return { type, chainId: spec.chainId, gasLimit, ...common, to: common.to, ...(fees as { maxPriorityFeePerGas: bigint; maxFeePerGas: bigint }), accessList: a.accessList ?? [], authorizationList: a.authorizationList ?? [] }
    }
  }
}

function headHash(ctx: RpcContext) {
  return ctx.chain.canonicalHash(ctx.chain.head().number)!
}
