/**
 * anvil's node controls beyond the shared dev edits (./dev.ts): the fee recipient, a fixed
 * timestamp step, impersonating every sender, the info logs, the genesis time, and the node
 * descriptions anvil_nodeInfo and anvil_metadata in anvil's shapes (the pool's are ./anvil-pool.ts).
 */
import { forkAt } from '../../chainspec/index.ts'
import { bytesToHex, type Hash } from '../../primitives/index.ts'
import { headerHash } from '../../types/index.ts'
import type { Handler, Methods, RpcContext } from '../context.ts'
import { InvalidParamsError, UnsupportedError } from '../errors.ts'
import { suggestTip } from '../fee-oracle.ts'
import { hex, qty } from '../format/hex.ts'
import { address, args, bool, data, fail, quantity } from '../params.ts'
import { dropAll } from './anvil-pool.ts'
import { devOf, int } from './dev.ts'

/** One id per process, as anvil's `instanceId`: tools tell a restarted node by it. */
const INSTANCE_ID = bytesToHex(crypto.getRandomValues(new Uint8Array(32)))

const capitalized = (s: string) => s[0]!.toUpperCase() + s.slice(1)

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
  /**
   * ecrecover of a 65-byte signature (r || s || v) returns the address from now on. anvil 1.7.1
   * takes the pair wrapped, [[signature, address]]; the flat [signature, address] its docs give
   * is taken too.
   */
  anvil_impersonateSignature(ctx, p) {
    const a = args(p, 2, 1)
    const [sig, who, at] = a.length === 1 && Array.isArray(a[0]) ? [a[0][0], a[0][1], '0.'] : [a[0], a[1], '']
    const signature = data(sig, `${at}0`)
    if (signature.length !== 65) fail(`${at}0`, `a signature is 65 bytes (r, s, v), got ${signature.length}`)
    devOf(ctx).impersonateSignature(signature, address(who, `${at}1`))
    return null
  },
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
  anvil_getGenesisTime: (ctx, p) => (args(p, 0), Number(ctx.chain.headerByNumber(0n)?.timestamp ?? 0n)),
  // anvil's: a minimum gas price is a pre-EIP-1559 pool rule, and every chain Mosaic's dev node
  // runs (paris and later) has EIP-1559; the refusal is anvil's on such chains
  anvil_setMinGasPrice(ctx, p) {
    quantity(args(p, 1, 1)[0], 0)
    if (ctx.chain.head().baseFeePerGas !== undefined) throw new InvalidParamsError('anvil_setMinGasPrice is not supported when EIP-1559 is active')
    throw new UnsupportedError('anvil_setMinGasPrice: this chain has no EIP-1559 and no minimum gas price rule')
  },
  // fork mode answers this itself (src/profiles/components/fork-reset.ts): the same fork through
  // another upstream of its chain; a node that does not fork has none to replace, and anvil
  // answers it with null too
  anvil_setRpcUrl(_ctx, p) {
    const url = args(p, 1, 1)[0]
    if (typeof url !== 'string' || !/^(https?|wss?):\/\//.test(url)) fail(0, 'expected an http(s) or ws(s) URL')
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
