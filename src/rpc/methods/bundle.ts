/**
 * Flashbots' bundle methods (mev-geth's, as reth has them too).
 *
 * eth_callBundle `{txs, blockNumber, stateBlockNumber, timestamp?, coinbase?, gasLimit?,
 * baseFee?, applyPending?}`: the transactions run in order on the state after
 * `stateBlockNumber`, in a block numbered `blockNumber` over it (timestamp +12 s, the state
 * block's fee recipient and gas limit, the next base fee, unless given). With `applyPending`
 * (Mosaic's addition) the pool's pending transactions run first. The answer is Flashbots'
 * shape: wei amounts as decimal strings, gas as numbers, per transaction `value` (the return
 * data) or `error` and `revert` (the revert data); each result also carries its `logs`
 * (Mosaic's addition). A transaction the block cannot take (nonce, funds, fees) fails the call
 * with -32000 naming it; bad input (no transactions, undecodable, duplicate, another chain's)
 * is -32602.
 *
 * eth_sendBundle `{txs, blockNumber, minTimestamp?, maxTimestamp?, revertingTxHashes?}` →
 * `{bundleHash}`: kept for block `blockNumber`, where the block producer puts it at the top,
 * all or none (src/bundles/include.ts). A node without block production passes it on to the
 * node it forwards transactions to (the txpool profile's --txpool.forward).
 *
 * On the txpool profile with --state.url the state is the state node's head (`stateHead`);
 * without it eth_callBundle refuses with -32000 (`noState`): the node holds only the genesis.
 */
import { BundleError, bundleHash, decodeBundleTxs, simulateBundle, type Bundle, type BundleErrorKind, type BundleSimulation, type BundleTx, type SimulationEnv } from '../../bundles/index.ts'
import { nextHeaderTemplate } from '../../payload/index.ts'
import { blockEnvOf } from '../../executor/index.ts'
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { JournaledState } from '../../state/index.ts'
import { headerHash, type Header } from '../../types/index.ts'
import { requireState } from '../blocks.ts'
import type { Methods, RpcContext, StateHead } from '../context.ts'
import { InvalidParamsError, LimitExceededError, ServerError, UnsupportedError, type RpcError } from '../errors.ts'
import { vmError } from '../exec/outcome.ts'
import { withDeadline } from '../exec/timeout.ts'
import { hex } from '../format/hex.ts'
import { address, args, array, bool, blockNumber, data, fail, field, hash, knownFields, object, quantity, type At, type BlockSelector } from '../params.ts'

const TIMESTAMP_INCREMENT = 12n

const CODES: Record<BundleErrorKind, typeof RpcError> = {
  empty: InvalidParamsError,
  undecodable: InvalidParamsError,
  duplicate: InvalidParamsError,
  'wrong-chain': InvalidParamsError,
  'too-large': InvalidParamsError,
  stale: ServerError,
  full: LimitExceededError,
  'invalid-transaction': ServerError,
}

function rpcError(e: unknown): never {
  if (e instanceof BundleError) throw new CODES[e.kind](e.message, { cause: e })
  throw e
}

/** A number as JSON number (mev-geth's uint64 fields) or hex quantity (reth's). */
function int(v: unknown, at: At): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) fail(at, 'a non-negative integer')
    return BigInt(v)
  }
  return quantity(v, at, 64)
}

const opt = <T>(v: unknown, at: At, f: (v: unknown, at: At) => T): T | undefined => (v === undefined || v === null ? undefined : f(v, at))

function txsOf(ctx: RpcContext, o: Record<string, unknown>): BundleTx[] {
  // hex strings as they came: the bundles layer parses them (and knows the ones seen before)
  const raws = array(o.txs ?? [], field(0, 'txs'), Number.MAX_SAFE_INTEGER).map((t, i) => (typeof t === 'string' ? t : hex(data(t, field(field(0, 'txs'), i)))))
  try {
    return decodeBundleTxs(raws, ctx.chain.spec.chainId)
  } catch (e) {
    rpcError(e)
  }
}

function targetBlock(o: Record<string, unknown>): bigint {
  if (o.blockNumber === undefined || o.blockNumber === null) throw new InvalidParamsError('bundle missing blockNumber')
  const n = int(o.blockNumber, field(0, 'blockNumber'))
  if (n === 0n) throw new InvalidParamsError('bundle missing blockNumber')
  return n
}

/** The state a bundle runs on: the chain's block, or on a txpool node the state node's head. */
function stateOf(ctx: RpcContext, sel: BlockSelector): Omit<StateHead, 'hash'> {
  if (ctx.noState && !ctx.stateHead) throw new ServerError(ctx.noState)
  if (ctx.stateHead) {
    const h = ctx.stateHead()
    const ok = 'tag' in sel ? sel.tag === 'latest' || sel.tag === 'pending' : 'number' in sel ? sel.number === h.header.number : equalBytes(sel.hash, h.hash)
    if (!ok) throw new ServerError(`this node simulates on its state node's head (block ${h.header.number}) only`)
    return h
  }
  const { header, state } = requireState(ctx, sel)
  const chain = ctx.chain
  return { header, state, blockHash: (n) => (n <= header.number ? chain.canonicalHash(n) : undefined) }
}

interface BlockChoices {
  number: bigint
  timestamp?: bigint
  coinbase?: Uint8Array
  gasLimit?: bigint
  baseFee?: bigint
}

// a searcher simulates many bundles on one head with the same choices: the block is made once
const blocks = new WeakMap<Header, { key: string; block: SimulationEnv }>()

/** The block a bundle runs in, over `parent`: its timestamp +12 s, fee recipient, gas limit and next base fee unless chosen. */
function blockOf(ctx: RpcContext, parent: Header, c: BlockChoices): SimulationEnv {
  const key = `${c.number}|${c.timestamp}|${c.coinbase && bytesToHex(c.coinbase)}|${c.gasLimit}|${c.baseFee}`
  const kept = blocks.get(parent)
  if (kept?.key === key) return kept.block
  const next = nextHeaderTemplate(parent, ctx.chain.spec, {
    timestamp: c.timestamp ?? parent.timestamp + TIMESTAMP_INCREMENT,
    feeRecipient: c.coinbase ?? parent.coinbase,
    prevRandao: parent.mixHash,
    ...(c.gasLimit === undefined ? {} : { gasLimit: c.gasLimit }),
    ...(c.baseFee === undefined ? {} : { baseFeePerGas: c.baseFee }),
  }, headerHash(parent))
  const block = { env: { ...blockEnvOf(next.header, ctx.chain.spec.chainId, next.blob), number: c.number }, fork: next.fork }
  blocks.set(parent, { key, block })
  return block
}

/** The pool's pending transactions for the block, best first, without the bundle's own. */
function pendingBefore(ctx: RpcContext, txs: readonly BundleTx[], env: SimulationEnv['env']) {
  const inBundle = new Set(txs.map((t) => bytesToHex(t.hash)))
  return (ctx.pool?.best(env.baseFee, env.blobBaseFee) ?? []).filter((t) => !inBundle.has(bytesToHex(t.hash)))
}

const dec = (n: bigint) => n.toString()

function formatResult(sim: BundleSimulation, stateBlock: bigint): Record<string, unknown> {
  return {
    bundleGasPrice: dec(sim.bundleGasPrice),
    bundleHash: hex(sim.hash),
    coinbaseDiff: dec(sim.coinbaseDiff),
    ethSentToCoinbase: dec(sim.ethSentToCoinbase),
    gasFees: dec(sim.gasFees),
    results: sim.results.map((r) => {
      const out: Record<string, unknown> = {
        coinbaseDiff: dec(r.coinbaseDiff),
        ethSentToCoinbase: dec(r.ethSentToCoinbase),
        fromAddress: hex(r.from),
        gasFees: dec(r.gasFees),
        gasPrice: dec(r.gasPrice),
        gasUsed: Number(r.gasUsed),
        ...(r.to ? { toAddress: hex(r.to) } : {}),
        txHash: hex(r.hash),
      }
      if (r.status === 'success') out.value = hex(r.output)
      else {
        out.error = vmError(r.status)
        if (r.status === 'revert') out.revert = hex(r.output)
      }
      out.logs = r.logs.map((l) => ({ address: hex(l.address), topics: l.topics.map(hex), data: hex(l.data) }))
      return out
    }),
    stateBlockNumber: Number(stateBlock),
    totalGasUsed: Number(sim.totalGasUsed),
  }
}

export const bundleMethods: Methods = {
  eth_callBundle(ctx, p) {
    const o = object(args(p, 1, 1)[0], 0)
    knownFields(o, 0, ['txs', 'blockNumber', 'stateBlockNumber', 'timestamp', 'coinbase', 'gasLimit', 'baseFee', 'timeout', 'applyPending'])
    const txs = txsOf(ctx, o)
    const number = targetBlock(o)
    const sel: BlockSelector = o.stateBlockNumber === undefined || o.stateBlockNumber === null ? { tag: 'latest' } : blockNumber(o.stateBlockNumber, field(0, 'stateBlockNumber'))
    const timestamp = opt(o.timestamp, field(0, 'timestamp'), int)
    const coinbase = opt(o.coinbase, field(0, 'coinbase'), address)
    const gasLimit = opt(o.gasLimit, field(0, 'gasLimit'), int)
    const baseFee = opt(o.baseFee, field(0, 'baseFee'), (v, at) => (typeof v === 'number' ? int(v, at) : quantity(v, at)))
    const applyPending = opt(o.applyPending, field(0, 'applyPending'), bool) ?? false
    if (gasLimit !== undefined && gasLimit > ctx.limits.gasCap) throw new ServerError(`gasLimit ${gasLimit} is above the RPC gas cap ${ctx.limits.gasCap}`)

    const { header: parent, state: base, blockHash } = stateOf(ctx, sel)
    const { env, fork } = blockOf(ctx, parent, { number, timestamp, coinbase, gasLimit, baseFee })
    const state = new JournaledState(base, { block: env, blockHash: (n) => (n < number ? blockHash(n) : undefined) })
    const before = applyPending ? pendingBefore(ctx, txs, env) : undefined
    let sim
    try {
      sim = simulateBundle(state, txs, { env, fork }, { before, tracer: withDeadline(undefined, ctx.limits.evmTimeoutMs) })
    } catch (e) {
      rpcError(e)
    }
    return formatResult(sim, parent.number)
  },

  eth_sendBundle(ctx, p) {
    const params = args(p, 1, 1)
    const o = object(params[0], 0)
    knownFields(o, 0, ['txs', 'blockNumber', 'minTimestamp', 'maxTimestamp', 'revertingTxHashes', 'replacementUuid'])
    const txs = txsOf(ctx, o)
    const blockNumber = targetBlock(o)
    const reverting = array(o.revertingTxHashes ?? [], field(0, 'revertingTxHashes'), Number.MAX_SAFE_INTEGER).map((h, i) => bytesToHex(hash(h, field(field(0, 'revertingTxHashes'), i))))
    const bundle: Bundle = {
      txs,
      hash: bundleHash(txs.map((t) => t.hash)),
      blockNumber,
      minTimestamp: opt(o.minTimestamp, field(0, 'minTimestamp'), int),
      maxTimestamp: opt(o.maxTimestamp, field(0, 'maxTimestamp'), int),
      revertingTxHashes: new Set(reverting),
    }
    if (ctx.bundles) {
      try {
        ctx.bundles.add(bundle, ctx.chain.head().number)
      } catch (e) {
        rpcError(e)
      }
      return { bundleHash: hex(bundle.hash) }
    }
    if (ctx.forward) return ctx.forward('eth_sendBundle', params)
    throw new UnsupportedError('this node builds no blocks and forwards to none: send bundles to a block producer')
  },
}
