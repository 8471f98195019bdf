/**
 * eth_ sending and signing: raw transactions (blob ones in network form) into the pool,
 * eth_sendTransaction for dev accounts (signed with their keys) and impersonated accounts
 * (admitted unsigned with the sender given), eth_sendUnsignedTransaction (any sender, dev
 * nodes), eth_fillTransaction, eth_signTransaction, eth_accounts (message
 * signing is ./sign.ts). Mining is the dev controls' business: with automine on, the dev miner mines on
 * the pool's announcement, inside `add`, so the hash comes back for a mined transaction (as anvil).
 */
import type { Address } from '../../primitives/index.ts'
import { TxPoolError } from '../../txpool/index.ts'
import { decodeBlobTransactionNetwork, decodeTransaction, isBlobNetworkForm, encodeTransaction, signTransaction, TransactionError, type BlobTransactionNetwork, type Transaction, type UnsignedTransaction } from '../../types/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { ServerError, UnauthorizedError, UnsupportedError } from '../errors.ts'
import { parseCallArgs } from '../exec/call-args.ts'
import { fillTransaction } from '../exec/fill.ts'
import { hex } from '../format/hex.ts'
import { formatTransaction } from '../format/transaction.ts'
import { args, data } from '../params.ts'

/** A stand-in signature for impersonated senders: in range, never a real key's. */
const IMPERSONATED_SIG = { r: 1n, s: 1n }

/** `unsigned` with the stand-in signature: a transaction whose sender the pool is told. */
function impersonated(unsigned: UnsignedTransaction): Transaction {
  return (unsigned.type === 0
    ? { ...unsigned, v: unsigned.chainId !== undefined ? unsigned.chainId * 2n + 35n : 27n, ...IMPERSONATED_SIG }
    : { ...unsigned, yParity: 0, ...IMPERSONATED_SIG }) as Transaction
}

export function decodeRaw(raw: Uint8Array): { tx: Transaction; sidecar?: BlobTransactionNetwork } {
  try {
    // the network form's errors are its own; the canonical form of a blob transaction decodes
    // and the pool refuses it for its missing sidecar
    if (isBlobNetworkForm(raw)) {
      const n = decodeBlobTransactionNetwork(raw)
      return { tx: n.tx, sidecar: n }
    }
    return { tx: decodeTransaction(raw) }
  } catch (e) {
    if (e instanceof TransactionError) throw new ServerError(`transaction decoding failed: ${e.message}`)
    throw e
  }
}

/** Admits to the pool; returns the hash. */
export function submit(ctx: RpcContext, tx: Transaction, opts: { sender?: Address; sidecar?: BlobTransactionNetwork } = {}): string {
  if (!ctx.pool) throw new UnsupportedError('this node has no transaction pool')
  let hash
  try {
    hash = ctx.pool.add(tx, opts).hash
  } catch (e) {
    if (e instanceof TxPoolError) throw new ServerError(e.message)
    throw e
  }
  return hex(hash)
}

function keyOf(ctx: RpcContext, from: Address): Uint8Array | undefined {
  return ctx.signer?.privateKey(from)
}

export function signWith(ctx: RpcContext, unsigned: UnsignedTransaction, from: Address): { tx: Transaction; impersonated: boolean } {
  const key = keyOf(ctx, from)
  if (key) return { tx: signTransaction(unsigned, key), impersonated: false }
  if (ctx.dev?.isImpersonated(from)) return { tx: impersonated(unsigned), impersonated: true }
  throw new UnauthorizedError('unknown account')
}

export const ethSendMethods: Methods = {
  eth_accounts: (ctx, p) => (args(p, 0), (ctx.signer?.accounts() ?? []).map(hex)),

  eth_sendRawTransaction(ctx, p) {
    const raw = data(args(p, 1, 1)[0], 0)
    const { tx, sidecar } = decodeRaw(raw)
    return submit(ctx, tx, { sidecar })
  },

  eth_sendTransaction(ctx, p) {
    const a = parseCallArgs(args(p, 1, 1)[0], 0)
    if (!a.from) throw new ServerError('missing from: the sender is required')
    const from = a.from
    if (!keyOf(ctx, from) && !ctx.dev?.isImpersonated(from)) throw new UnauthorizedError('unknown account')
    const { tx, impersonated } = signWith(ctx, fillTransaction(ctx, a, from), from)
    return submit(ctx, tx, impersonated ? { sender: from } : {})
  },

  /**
   * Completes a transaction as eth_sendTransaction would and returns it unsigned (geth's and
   * anvil's eth_fillTransaction): `raw` its encoding with the stand-in signature, `tx` its JSON
   * with the sender. `from` defaults to the first dev account, as in anvil.
   */
  eth_fillTransaction(ctx, p) {
    const a = parseCallArgs(args(p, 1, 1)[0], 0)
    const from = a.from ?? ctx.signer?.accounts()[0]
    if (!from) throw new ServerError('missing from: no sender given and no dev account')
    const tx = impersonated(fillTransaction(ctx, a, from))
    return { raw: hex(encodeTransaction(tx)), tx: formatTransaction(tx, from) }
  },

  /** anvil's: sends from `from` without a signature, whether or not it is impersonated. */
  eth_sendUnsignedTransaction(ctx, p) {
    const a = parseCallArgs(args(p, 1, 1)[0], 0)
    if (!a.from) throw new ServerError('missing from: the sender is required')
    if (!ctx.dev) throw new UnsupportedError('unsigned transactions are a dev node control')
    return submit(ctx, impersonated(fillTransaction(ctx, a, a.from)), { sender: a.from })
  },

  eth_signTransaction(ctx, p) {
    const a = parseCallArgs(args(p, 1, 1)[0], 0)
    if (!a.from) throw new ServerError('missing from: the sender is required')
    const key = keyOf(ctx, a.from)
    if (!key) throw new UnauthorizedError('unknown account')
    return hex(encodeTransaction(signTransaction(fillTransaction(ctx, a, a.from), key)))
  },
}
