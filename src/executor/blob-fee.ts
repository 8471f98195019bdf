/**
 * Blob parameters of a fork on mainnet's default schedule (chainspec's DEFAULT_BLOB_SCHEDULE:
 * EIP-4844 Cancun, EIP-7691 Prague, Osaka unchanged), for callers that have a fork but no chain
 * spec (state tests, t8n).
 */
import { DEFAULT_BLOB_SCHEDULE, type BlobParams } from '../chainspec/index.ts'
import { isForkAtLeast, type ForkName } from '../types/index.ts'
import { blobBaseFee } from './header-rules.ts'

export function defaultBlobParams(fork: ForkName): BlobParams {
  const key = isForkAtLeast(fork, 'osaka') ? 'osaka' : isForkAtLeast(fork, 'prague') ? 'prague' : 'cancun'
  return DEFAULT_BLOB_SCHEDULE[key]!
}

/** Blob base fee at `excessBlobGas` under `fork`'s default update fraction. */
export function blobBaseFeeAt(excessBlobGas: bigint, fork: ForkName): bigint {
  return blobBaseFee(excessBlobGas, defaultBlobParams(fork))
}

/** Blobs per block on the default schedule (EIP-4844: 6; EIP-7691 Prague: 9). */
export function maxBlobsPerBlock(fork: ForkName): number {
  return defaultBlobParams(fork).max
}
