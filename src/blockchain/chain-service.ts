/**
 * The `chain` service: every capability of a local chain in one interface, which `Blockchain`
 * implements structurally. Components use the part they need.
 */
import type { Hash } from '../primitives/index.ts'
import type { ChangeSet, StateProvider } from '../state/index.ts'
import type { BlockImporter } from './block-importer.ts'
import type { ChainReader } from './chain-reader.ts'
import type { ForkChoice } from './fork-choice.ts'

export interface Chain extends ChainReader, ForkChoice, BlockImporter, StateProvider {
  /** A stored block's change set (canonical or not), undefined when not stored. Consumer: the state-diff stream. */
  changeSet(number: bigint, hash: Hash): ChangeSet | undefined
  /** Puts a chain id in force from the next block on, durably (dev mode's anvil_setChainId). */
  setChainId(chainId: bigint): void
}
