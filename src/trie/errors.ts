import { MosaicError } from '../primitives/index.ts'

export type TrieErrorKind = 'missing-node' | 'invalid-proof' | 'bad-node'

/** A trie operation that cannot complete: a node absent from the store, a bad proof or node. */
export class TrieError extends MosaicError {
  override name = 'TrieError'
  constructor(readonly kind: TrieErrorKind, details: string) {
    super(`TRIE_${kind.toUpperCase().replaceAll('-', '_')}`, 'trie error', { details })
  }
}
