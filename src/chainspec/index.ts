/**
 * Layer 5: chain specs. Forks and their activation (block or timestamp), blob schedules,
 * genesis (from an alloc, or geth's genesis.json), and the built-in mainnet, sepolia, hoodi and
 * dev specs. Consumers: executor (fork rules per block), blockchain (genesis), p2p (fork ids).
 */
import { ChainSpecError } from './errors.ts'
import { dev } from './specs/dev.ts'
import { hoodi } from './specs/hoodi.ts'
import { mainnet } from './specs/mainnet.ts'
import { sepolia } from './specs/sepolia.ts'
import type { ChainSpec } from './types.ts'

export * from './types.ts'
export { ChainSpecError } from './errors.ts'
export { forkAt, blobParamsAt, isActive, forkPoints } from './forks.ts'
export { genesisStateRoot, genesisHeader, genesisHash, parseGenesisJson, DEFAULT_BLOB_SCHEDULE, INITIAL_BASE_FEE } from './genesis.ts'
export { DEV_ACCOUNTS, DEV_BALANCE, DEV_PRIVATE_KEYS } from './specs/dev.ts'
export { singleForkSpec } from './single-fork.ts'
export { devChain, hasDevOptions, DEV_MNEMONIC } from './dev-options.ts'
export { proofOfStakeProblem } from './proof-of-stake.ts'
export { mainnet, sepolia, hoodi, dev }

export const BUILTIN_CHAINS: Readonly<Record<string, ChainSpec>> = { mainnet, sepolia, hoodi, dev }

/** A built-in spec by name or chain id; an unknown one is a ChainSpecError listing the choices. */
export function getChainSpec(nameOrId: string | bigint): ChainSpec {
  const spec =
    typeof nameOrId === 'bigint' || /^[0-9]+$/.test(nameOrId)
      ? Object.values(BUILTIN_CHAINS).find((s) => s.chainId === BigInt(nameOrId))
      : BUILTIN_CHAINS[nameOrId.toLowerCase()]
  if (!spec) throw new ChainSpecError(`unknown chain ${JSON.stringify(String(nameOrId))}: choose one of ${Object.keys(BUILTIN_CHAINS).join(', ')}, or pass a genesis.json`)
  return spec
}
export { checksumToBytes, checksumUpdate, computeForkId, crc32, forkScheduleOf, validateForkId, type ChainHead, type ForkId, type ForkIdVerdict, type ForkSchedule } from './fork-id.ts'
