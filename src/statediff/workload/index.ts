/** The workload generator (./generate.ts), its spec and genesis (./spec.ts), its contracts (./contracts.ts). */
export { generateWorkload, type GeneratedBlock } from './generate.ts'
export { DEFAULT_WORKLOAD, formatWorkloadSpec, parseWorkloadSpec, workloadGenesis, workloadSenders, type WorkloadSpec } from './spec.ts'

import { Blockchain } from '../../blockchain/index.ts'
import { parseGenesisJson, type ChainSpec } from '../../chainspec/index.ts'
import { openMemoryStore, type KeyValueStore } from '../../storage/index.ts'
import { workloadGenesis, type WorkloadSpec } from './spec.ts'

/** The chain spec of a workload's genesis. */
export const workloadChainSpec = (s: WorkloadSpec): ChainSpec => parseGenesisJson(workloadGenesis(s), 'statesync-workload')

/** A chain at the workload's genesis, on `db` (default: memory). */
export const openWorkloadChain = (s: WorkloadSpec, db: KeyValueStore = openMemoryStore()): Blockchain => Blockchain.open(db, workloadChainSpec(s))
