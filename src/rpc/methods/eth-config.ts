/**
 * eth_config (EIP-7910, in geth's shape): the fork configuration in force at the head
 * (`current`), the next scheduled one (`next`) and the last scheduled one (`last`), each with its
 * activation time, blob schedule, chain id, EIP-2124 fork id, precompiles by name and system
 * contracts by name. `next` and `last` are null when nothing is scheduled after `current`.
 */
import { blobParamsAt, computeForkId, forkAt, forkScheduleOf, type ChainSpec } from '../../chainspec/index.ts'
import { getFork, precompileAddresses } from '../../evm/index.ts'
import { BEACON_ROOTS_ADDRESS, CONSOLIDATION_REQUEST_ADDRESS, HISTORY_STORAGE_ADDRESS, WITHDRAWAL_REQUEST_ADDRESS } from '../../executor/index.ts'

import type { Address, Hash } from '../../primitives/index.ts'
import { isForkAtLeast } from '../../types/index.ts'
import type { Methods } from '../context.ts'
import { hex, qty } from '../format/hex.ts'
import { args } from '../params.ts'

/** The precompiles' names of EIP-7910 (and geth's), by address. */
const PRECOMPILE_NAMES: Record<number, string> = {
  0x01: 'ECREC',
  0x02: 'SHA256',
  0x03: 'RIPEMD160',
  0x04: 'ID',
  0x05: 'MODEXP',
  0x06: 'BN254_ADD',
  0x07: 'BN254_MUL',
  0x08: 'BN254_PAIRING',
  0x09: 'BLAKE2F',
  0x0a: 'KZG_POINT_EVALUATION',
  0x0b: 'BLS12_G1ADD',
  0x0c: 'BLS12_G1MSM',
  0x0d: 'BLS12_G2ADD',
  0x0e: 'BLS12_G2MSM',
  0x0f: 'BLS12_PAIRING_CHECK',
  0x10: 'BLS12_MAP_FP_TO_G1',
  0x11: 'BLS12_MAP_FP2_TO_G2',
  0x100: 'P256VERIFY',
}

function systemContracts(spec: ChainSpec, fork: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isForkAtLeast(fork as never, 'cancun')) return out
  out.BEACON_ROOTS_ADDRESS = hex(BEACON_ROOTS_ADDRESS)
  if (!isForkAtLeast(fork as never, 'prague')) return out
  out.CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS = hex(CONSOLIDATION_REQUEST_ADDRESS)
  // a chain without one (the dev chain) reads no deposit requests from logs
  if (spec.depositContractAddress) out.DEPOSIT_CONTRACT_ADDRESS = hex(spec.depositContractAddress)
  out.HISTORY_STORAGE_ADDRESS = hex(HISTORY_STORAGE_ADDRESS)
  out.WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS = hex(WITHDRAWAL_REQUEST_ADDRESS)
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The configuration in force from `time` (a time-based fork's activation, or the head's time). */
function configAt(spec: ChainSpec, genesisHash: Hash, number: bigint, time: bigint, activation: bigint) {
  const fork = forkAt(spec, number, time)
  const blobs = blobParamsAt(spec, time)
  const precompiles: Record<string, string> = {}
  for (const a of precompileAddresses(getFork(fork)) as Address[]) precompiles[PRECOMPILE_NAMES[(a[18]! << 8) | a[19]!] ?? hex(a)] = hex(a)
  return {
    activationTime: Number(activation),
    blobSchedule: blobs ? { baseFeeUpdateFraction: Number(blobs.baseFeeUpdateFraction), max: blobs.max, target: blobs.target } : null,
    chainId: qty(spec.chainId),
    forkId: hex(computeForkId(forkScheduleOf(spec, genesisHash), { number, time }).hash),
    precompiles,
    systemContracts: systemContracts(spec, fork),
  }
}

export const ethConfigMethods: Methods = {
  eth_config(ctx, p) {
    args(p, 0)
    const spec = ctx.chain.spec
    const head = ctx.chain.head()
    const genesis = ctx.chain.canonicalHash(0n)!
    // post-merge forks activate by time; those at or before genesis count as activated at 0
    const times = [...new Set(spec.forks.flatMap((a) => ('timestamp' in a ? [a.timestamp > spec.genesis.timestamp ? a.timestamp : 0n] : [])))].sort((a, b) => (a < b ? -1 : 1))
    const passed = times.filter((t) => t <= head.timestamp)
    const future = times.filter((t) => t > head.timestamp)
    const at = (t: bigint) => configAt(spec, genesis, head.number, t === 0n ? spec.genesis.timestamp : t, t)
    return {
      current: at(passed.at(-1) ?? 0n),
      next: future.length ? at(future[0]!) : null,
      last: future.length ? at(future.at(-1)!) : null,
    }
  },
}
