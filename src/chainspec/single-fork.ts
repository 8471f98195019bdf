/**
 * A chain with one fork's rules from genesis (every earlier fork at block or time 0), as the
 * conformance fixtures assume (`network: "Cancun"`), with the default blob schedule. Consumers:
 * `mosaic blocktest`, t8n, tests.
 */
import { ZERO_ADDRESS, ZERO_HASH } from '../primitives/index.ts'
import { FORKS, isForkAtLeast, type ForkName } from '../types/index.ts'
import { DEFAULT_BLOB_SCHEDULE } from './genesis.ts'
import type { ChainSpec, GenesisAccount } from './types.ts'

export function singleForkSpec(fork: ForkName, alloc: Map<string, GenesisAccount>, chainId = 1n): ChainSpec {
  const upTo = FORKS.slice(0, FORKS.indexOf(fork) + 1)
  return {
    name: `${fork}-from-genesis`,
    chainId,
    networkId: chainId,
    forks: upTo.map((f) => (isForkAtLeast(f, 'shanghai') ? { fork: f, timestamp: 0n } : { fork: f, block: 0n })),
    blobSchedule: { ...DEFAULT_BLOB_SCHEDULE },
    terminalTotalDifficulty: 0n,
    genesis: { timestamp: 0n, gasLimit: 30_000_000n, difficulty: 0n, extraData: new Uint8Array(0), nonce: new Uint8Array(8), mixHash: ZERO_HASH, coinbase: ZERO_ADDRESS },
    alloc: () => alloc,
    bootnodes: [],
  }
}
