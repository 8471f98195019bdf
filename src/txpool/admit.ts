/**
 * The stateless half of admission, shared by the stateful and the stateless pool: the hash not already held, the
 * rules of the next block (options on top), size / fork / fee checks, and the sender (given by
 * the caller or recovered).
 */
import { bytesToHex, type Address, type Hash } from '../primitives/index.ts'
import { encodeTransaction, recoverSender, transactionHash, TransactionError, type Header, type Transaction } from '../types/index.ts'
import { fromTransactionError, TxPoolError } from './errors.ts'
import type { PoolDeps, PoolOptions } from './options.ts'
import type { AddOptions } from './types.ts'
import { validateStateless, type PoolRules } from './validate.ts'

export interface Admitted {
  hash: Hash
  hashHex: string
  raw: Uint8Array
  sender: Address
  rules: PoolRules
}

/** Throws TxPoolError; `held` says whether the pool has the hash. */
export function admitStateless(
  tx: Transaction,
  addOpts: AddOptions,
  header: Header,
  deps: Pick<PoolDeps, 'rules' | 'verifyBlobProofs'>,
  opts: Pick<PoolOptions, 'minTip' | 'rejectBelowBaseFee'>,
  held: (hashHex: string) => boolean,
): Admitted {
  const hash = transactionHash(tx)
  const hashHex = bytesToHex(hash)
  if (held(hashHex)) throw new TxPoolError('already-known')
  const rules: PoolRules = { ...deps.rules(header), minTip: opts.minTip, rejectBelowBaseFee: opts.rejectBelowBaseFee, verifyBlobProofs: deps.verifyBlobProofs }
  const raw = encodeTransaction(tx)
  validateStateless(tx, raw.length, rules, addOpts.sidecar)
  let sender = addOpts.sender
  if (!sender) {
    try {
      sender = recoverSender(tx)
    } catch (err) {
      if (err instanceof TransactionError) throw fromTransactionError(err)
      throw err
    }
  }
  return { hash, hashHex, raw, sender, rules }
}
