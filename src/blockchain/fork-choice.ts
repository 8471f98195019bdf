/**
 * Moving the chain's markers: the head (reorganising onto another branch when needed), safe and
 * finalized. Consumers: the Engine API's forkchoiceUpdated, dev-mode snapshots (evm_revert).
 */
import type { Hash } from '../primitives/index.ts'

export interface ForkChoice {
  /** Hash of the canonical head. */
  headBlockHash(): Hash
  /** Makes a stored block the canonical head; throws ChainError for an unknown one. */
  setHead(hash: Hash): void
  setSafe(hash: Hash): void
  setFinalized(hash: Hash): void
  /**
   * Head, safe and finalized at once (any may be left out), written in one batch, skipping what
   * is already so; throws ChainError (nothing written) for an unknown block or unreachable head.
   */
  setForkchoice(update: { head?: Hash; safe?: Hash; finalized?: Hash }): void
}
