/**
 * Pool rules for a node that follows a live network without its chain (the stateless pool of
 * the txpool profile): the head it holds is the genesis, so the rules come from the chain spec
 * and the clock instead — every block-activated fork counts as passed, time-activated ones by
 * the wall clock; no base fee is known (0) and the block gas limit is not checked (EIP-7825's
 * per-transaction cap still applies from Osaka, in validateTransaction).
 */
import { blobParamsAt, forkAt, type ChainSpec } from '../chainspec/index.ts'
import { isForkAtLeast } from '../types/index.ts'
import type { PoolDeps } from './options.ts'

/** Block gas limit when no head is known: no check. */
const NO_GAS_LIMIT = 1n << 63n

export function liveRules(spec: ChainSpec, nowSeconds: () => bigint = () => BigInt(Math.floor(Date.now() / 1000))): PoolDeps['rules'] {
  let lastBlockFork = 0n
  for (const f of spec.forks) if ('block' in f && f.block > lastBlockFork) lastBlockFork = f.block
  return () => {
    const timestamp = nowSeconds()
    const fork = forkAt(spec, lastBlockFork, timestamp)
    const blob = blobParamsAt(spec, timestamp)
    return {
      fork,
      chainId: spec.chainId,
      blockGasLimit: NO_GAS_LIMIT,
      baseFee: 0n,
      // before Osaka a transaction may carry as many blobs as a block (the spec's schedule)
      maxBlobsPerTransaction: blob && !isForkAtLeast(fork, 'osaka') ? blob.max : undefined,
    }
  }
}
