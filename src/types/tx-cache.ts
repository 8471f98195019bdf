/**
 * Per-object caches for transactions: the canonical encoding a transaction was decoded from,
 * its hash and its sender. Keyed weakly by the object, so they live as long as it does; this is
 * why transaction objects are treated as immutable once built.
 */
import type { Address, Hash } from '../primitives/index.ts'
import type { Transaction } from './transaction.ts'

export const encodingCache = new WeakMap<Transaction, Uint8Array>()
export const hashCache = new WeakMap<Transaction, Hash>()
export const senderCache = new WeakMap<Transaction, Address>()
