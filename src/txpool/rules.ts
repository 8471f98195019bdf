/** Pool rules of the block after `head` on a chain spec: its fork, the chain id, gas limit, base fee. */
import { blobParamsAt, forkAt, type ChainSpec } from '../chainspec/index.ts'
import { nextBaseFee } from '../executor/index.ts'
import { isForkAtLeast, type Header } from '../types/index.ts'
import type { PoolDeps } from './options.ts'

/** Seconds assumed between blocks when picking the next block's fork. */
const NEXT_BLOCK_SECONDS = 12n

/** `spec` may be a getter: a dev chain's id changes with anvil_setChainId. */
export function specRules(specOf: ChainSpec | (() => ChainSpec)): PoolDeps['rules'] {
  return (head: Header) => {
    const spec = typeof specOf === 'function' ? specOf() : specOf
    const number = head.number + 1n
    const timestamp = head.timestamp + NEXT_BLOCK_SECONDS
    const fork = forkAt(spec, number, timestamp)
    const blob = blobParamsAt(spec, timestamp)
    return {
      fork,
      chainId: spec.chainId,
      blockGasLimit: head.gasLimit,
      baseFee: isForkAtLeast(fork, 'london') ? nextBaseFee(head) : 0n,
      // before Osaka a transaction may carry as many blobs as a block (the spec's schedule)
      maxBlobsPerTransaction: blob && !isForkAtLeast(fork, 'osaka') ? blob.max : undefined,
    }
  }
}
