/**
 * anvil's node controls beyond the shared dev edits (./dev.ts): the fee recipient, a fixed
 * timestamp step, impersonating every sender, dropping pooled transactions, the info logs, and
 * the node descriptions anvil_nodeInfo and anvil_metadata in anvil's shapes.
 */
import { forkAt } from '../../chainspec/index.ts'
import { bytesToHex, type Hash } from '../../primitives/index.ts'
import { headerHash } from '../../types/index.ts'
import type { Handler, Methods, RpcContext } from '../context.ts'
import { UnsupportedError } from '../errors.ts'
import { suggestTip } from '../fee-oracle.ts'
import { hex, qty } from '../format/hex.ts'
import { address, args, bool, fail, hash, quantity } from '../params.ts'
import { devOf, int } from './dev.ts'

function poolOf(ctx: RpcContext) {
  if (!ctx.pool) throw new UnsupportedError('this node has no transaction pool')
  return ctx.pool
}

/** One id per process, as anvil's `instanceId`: tools tell a restarted node by it. */
const INSTANCE_ID = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))

const capitalized = (s: string) => s[0]!.toUpperCase() + s.slice(1)

function dropAll(ctx: RpcContext): void {
  const pool = poolOf(ctx)
  const { pending, queued } = pool.content()
  for (const txs of [...pending.values(), ...queued.values()]) for (const t of txs) pool.remove(t.hash)
}

/** EIP-2294: the largest chain id, (2^64 - 1 - 36) / 2. */
const MAX_CHAIN_ID = ((1n << 64n) - 1n - 36n) / 2n

/** EIP-1559 keeps a block's gas limit at 5,000 or more. */
const MIN_GAS_LIMIT = 5_000n

const setBlockGasLimit: Handler = (ctx, p) => {
  const limit = quantity(args(p, 1, 1)[0], 0, 63)
  if (limit < MIN_GAS_LIMIT) fail(0, `gas limit ${limit} is below the minimum of ${MIN_GAS_LIMIT}`)
  devOf(ctx).setBlockGasLimit(limit)
  return true
}

export const anvilMethods: Methods = {
  anvil_setCoinbase(ctx, p) {
    devOf(ctx).setCoinbase(address(args(p, 1, 1)[0], 0))
    return null
  },
  anvil_setChainId(ctx, p) {
    const id = int(args(p, 1, 1)[0], 0)
    // EIP-2294 bounds a chain id so that EIP-155's v (id * 2 + 36) fits 64 bits
    if (id < 1n || id > MAX_CHAIN_ID) fail(0, `chain id ${id} is out of range: give 1 to ${MAX_CHAIN_ID}`)
    devOf(ctx).setChainId(id)
    return null
  },
  anvil_setNextBlockBaseFeePerGas(ctx, p) {
    devOf(ctx).setNextBlockBaseFee(quantity(args(p, 1, 1)[0], 0, 128))
    return null
  },
  anvil_setBlockGasLimit: setBlockGasLimit,
  evm_setBlockGasLimit: setBlockGasLimit,
  anvil_autoImpersonateAccount(ctx, p) {
    devOf(ctx).setAutoImpersonate(bool(args(p, 1, 1)[0], 0))
    return null
  },
  anvil_setLoggingEnabled(ctx, p) {
    devOf(ctx).setLogging(bool(args(p, 1, 1)[0], 0))
    return null
  },
  anvil_setBlockTimestampInterval(ctx, p) {
    const seconds = int(args(p, 1, 1)[0], 0)
    if (seconds < 1n) fail(0, 'the interval must be at least 1 second')
    devOf(ctx).setBlockTimestampInterval(seconds)
    return null
  },
  anvil_removeBlockTimestampInterval: (ctx, p) => (args(p, 0), devOf(ctx).setBlockTimestampInterval(undefined)),
  anvil_dropTransaction(ctx, p) {
    const h = hash(args(p, 1, 1)[0], 0)
    // anvil answers the hash when it was pooled, null otherwise
    return poolOf(ctx).remove(h) ? hex(h) : null
  },
  anvil_dropAllTransactions(ctx, p) {
    args(p, 0)
    dropAll(ctx)
    return null
  },
  // fork mode answers this itself (src/profiles/components/fork-reset.ts), with a new fork block
  anvil_reset(ctx, p) {
    const a = args(p, 1)
    const forking = a[0] && typeof a[0] === 'object' ? (a[0] as { forking?: unknown }).forking : undefined
    if (a[0] != null && (typeof a[0] !== 'object' || Array.isArray(a[0]))) fail(0, 'expected {forking: {jsonRpcUrl, blockNumber}} or nothing')
    if (forking != null) throw new UnsupportedError('anvil_reset with forking needs a node started in fork mode (--fork-url)')
    dropAll(ctx)
    devOf(ctx).reset()
    return null
  },
  anvil_nodeInfo(ctx, p) {
    args(p, 0)
    const head = ctx.chain.head()
    const next = ctx.pending?.nextHeader()
    return {
      currentBlockNumber: qty(head.number),
      currentBlockTimestamp: Number(head.timestamp),
      currentBlockHash: hex(headerHash(head)),
      hardFork: capitalized(forkAt(ctx.chain.spec, head.number, head.timestamp)),
      transactionOrder: 'fees',
      environment: {
        baseFee: qty(next?.baseFeePerGas ?? head.baseFeePerGas ?? 0n),
        chainId: Number(ctx.chain.spec.chainId),
        gasLimit: qty(next?.gasLimit ?? head.gasLimit),
        gasPrice: qty(suggestTip(ctx) + (head.baseFeePerGas ?? 0n)),
      },
      forkConfig: { forkUrl: null, forkBlockNumber: null, forkRetryBackoff: null },
    }
  },
  anvil_metadata(ctx, p) {
    args(p, 0)
    const head = ctx.chain.head()
    const snapshots: Record<string, [number, string]> = {}
    for (const s of ctx.dev?.snapshots() ?? []) snapshots[s.id.toString()] = [Number(numberOf(ctx, s.head) ?? 0n), hex(s.head)]
    const [name, version] = ctx.clientVersion.split('/')
    return {
      clientVersion: ctx.clientVersion,
      clientSemver: (version ?? '').replace(/^v/, ''),
      clientName: name,
      chainId: Number(ctx.chain.spec.chainId),
      instanceId: INSTANCE_ID,
      latestBlockNumber: Number(head.number),
      latestBlockHash: hex(headerHash(head)),
      forkedNetwork: null,
      snapshots,
    }
  },
}

function numberOf(ctx: RpcContext, h: Hash): bigint | undefined {
  return ctx.chain.headerByHash(h)?.number
}
