/** Why a bundle is refused (eth_callBundle, eth_sendBundle). `kind` is for code; the RPC maps it to a JSON-RPC code. */
import { MosaicError } from '../primitives/index.ts'

export type BundleErrorKind =
  /** no transactions */
  | 'empty'
  /** a transaction that does not decode, or whose signature recovers no sender */
  | 'undecodable'
  /** the same transaction twice */
  | 'duplicate'
  /** signed for another chain */
  | 'wrong-chain'
  /** more transactions than a bundle may carry */
  | 'too-large'
  /** for a block already on the chain */
  | 'stale'
  /** the store holds as many bundles as it may */
  | 'full'
  /** a transaction the block cannot take (nonce, funds, fees, gas): the simulation stops there */
  | 'invalid-transaction'

export class BundleError extends MosaicError {
  override name = 'BundleError'
  readonly kind: BundleErrorKind

  constructor(kind: BundleErrorKind, message: string, opts: { cause?: unknown } = {}) {
    super('BUNDLE', message, opts)
    this.kind = kind
  }
}
