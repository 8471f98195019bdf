/**
 * Dev controls under anvil's and Hardhat's names (evm_*, anvil_*, hardhat_*), through
 * `DevControls`. Numbers may be JSON integers or hex quantities, as those tools send both.
 * Intervals are in seconds (anvil's convention for evm_setIntervalMining).
 */
import type { DevControls } from '../backend.ts'
import { requireState } from '../blocks.ts'
import type { Methods, RpcContext } from '../context.ts'
import { LimitExceededError, UnsupportedError } from '../errors.ts'
import { formatBlock } from '../format/block.ts'
import { qty } from '../format/hex.ts'
import { address, args, bool, data, fail, object, quantity, storageKey, type At } from '../params.ts'
import { headerHash } from '../../types/index.ts'
import { createYielder } from '../yield.ts'

export function devOf(ctx: RpcContext): DevControls {
  if (!ctx.dev) throw new UnsupportedError('dev controls are not available on this node')
  return ctx.dev
}

/** A non-negative integer given as a JSON number or a hex quantity. */
export function int(v: unknown, at: At): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) fail(at, `expected a non-negative integer, got ${v}`)
    return BigInt(v)
  }
  return quantity(v, at, 64)
}

/** Blocks per DevControls.mine call (about 50 ms of work): other clients are served between chunks. */
const MINE_CHUNK = 100

const MINE_YIELD_MS = 20

async function mineMany(ctx: RpcContext, count: bigint, interval: bigint | undefined): Promise<void> {
  if (count > BigInt(ctx.limits.maxMineBlocks)) throw new LimitExceededError(`cannot mine more than ${ctx.limits.maxMineBlocks} blocks at once`)
  const dev = devOf(ctx)
  // an interval of 0 (viem's testClient.mine sends one) is no interval: the clock decides, as in anvil
  if (!interval) {
    // DevControls.mine takes at most MINE_CHUNK blocks a call; other clients are served between chunks
    for (let left = Number(count); left > 0; left -= MINE_CHUNK) {
      await dev.mine({ count: Math.min(left, MINE_CHUNK) })
      if (left > MINE_CHUNK) await new Promise((r) => setImmediate(r))
    }
    return
  }
  const pause = createYielder(MINE_YIELD_MS)
  for (let i = 0n; i < count; i++) {
    const ts = i === 0n ? undefined : ctx.chain.head().timestamp + interval
    await dev.mine({ count: 1, timestamp: ts })
    await pause()
  }
}

/** Block timestamps must increase (EIP-3675 header rule): an earlier one is a bad argument, not an internal error. */
function afterHead(ctx: RpcContext, ts: bigint, at: At): bigint {
  const head = ctx.chain.head().timestamp
  if (ts <= head) fail(at, `timestamp ${ts} is not after the latest block's ${head}`)
  return ts
}

const mineN = async (ctx: RpcContext, p: unknown) => {
  const a = args(p, 2)
  await mineMany(ctx, a[0] == null ? 1n : int(a[0], 0), a[1] == null ? undefined : int(a[1], 1))
  return null
}

/** evm_mine's argument: a timestamp, or `{blocks}`; mines and returns how many blocks it mined. */
async function mineAsAsked(ctx: RpcContext, p: unknown): Promise<bigint> {
  const v = args(p, 1)[0]
  if (v != null && typeof v === 'object') {
    const o = object(v, 0)
    const count = o.blocks == null ? 1n : int(o.blocks, '0.blocks')
    await mineMany(ctx, count, undefined)
    return count
  }
  await devOf(ctx).mine(v == null ? {} : { timestamp: afterHead(ctx, int(v, 0), 0) })
  return 1n
}

/** evm_setTime takes seconds or, as ganache did, milliseconds: anvil reads values from 1e12 as milliseconds. */
const MILLISECONDS_FROM = 1_000_000_000_000n

const MAX_WEI = (1n << 256n) - 1n

/** anvil answers its state edits with null (setStorageAt with true), Hardhat with true. */
const edits = (prefix: 'anvil' | 'hardhat'): Methods => {
  const done = prefix === 'anvil' ? null : true
  return {
    [`${prefix}_setBalance`](ctx, p) {
      const a = args(p, 2, 2)
      devOf(ctx).setBalance(address(a[0], 0), quantity(a[1], 1))
      return done
    },
    [`${prefix}_setCode`](ctx, p) {
      const a = args(p, 2, 2)
      devOf(ctx).setCode(address(a[0], 0), data(a[1], 1))
      return done
    },
    [`${prefix}_setNonce`](ctx, p) {
      const a = args(p, 2, 2)
      devOf(ctx).setNonce(address(a[0], 0), int(a[1], 1))
      return done
    },
    [`${prefix}_setStorageAt`](ctx, p) {
      const a = args(p, 3, 3)
      devOf(ctx).setStorageAt(address(a[0], 0), storageKey(a[1], 1), storageKey(a[2], 2))
      return true
    },
    [`${prefix}_impersonateAccount`](ctx, p) {
      devOf(ctx).impersonate(address(args(p, 1, 1)[0], 0))
      return done
    },
    [`${prefix}_stopImpersonatingAccount`](ctx, p) {
      devOf(ctx).stopImpersonating(address(args(p, 1, 1)[0], 0))
      return done
    },
    [`${prefix}_getAutomine`]: (ctx, p) => (args(p, 0), devOf(ctx).automine()),
    [`${prefix}_mine`]: mineN,
  }
}

export const devMethods: Methods = {
  // ganache's placeholder answer, which anvil keeps
  evm_mine: async (ctx, p) => (await mineAsAsked(ctx, p), qty(0)),
  /** The blocks mined, with their transactions, oldest first (anvil's evm_mine_detailed). */
  async anvil_mine_detailed(ctx, p) {
    const count = await mineAsAsked(ctx, p)
    const head = ctx.chain.head().number
    const blocks = []
    for (let n = head - count + 1n; n <= head; n++) {
      const h = ctx.chain.headerByNumber(n)
      const block = h && ctx.chain.blockByHash(headerHash(h))
      if (block) blocks.push(formatBlock(block, true, ctx.chain.senders(headerHash(h))))
    }
    return blocks
  },
  anvil_getIntervalMining: (ctx, p) => (args(p, 0), devOf(ctx).intervalMining() ?? null),
  evm_setTime(ctx, p) {
    let t = int(args(p, 1, 1)[0], 0)
    if (t >= MILLISECONDS_FROM) t /= 1000n
    return Number(devOf(ctx).setTime(t))
  },
  anvil_addBalance(ctx, p) {
    const a = args(p, 2, 2)
    const who = address(a[0], 0)
    const add = quantity(a[1], 1)
    const now = requireState(ctx, { tag: 'latest' }).state.getAccount(who)?.balance ?? 0n
    // anvil saturates at 2^256-1
    devOf(ctx).setBalance(who, now + add > MAX_WEI ? MAX_WEI : now + add)
    return null
  },
  evm_snapshot: (ctx, p) => (args(p, 0), qty(devOf(ctx).snapshot())),
  evm_revert: (ctx, p) => devOf(ctx).revert(int(args(p, 1, 1)[0], 0)),
  // anvil answers with the total offset in seconds as a JSON number
  evm_increaseTime: (ctx, p) => Number(devOf(ctx).increaseTime(int(args(p, 1, 1)[0], 0))),
  evm_setNextBlockTimestamp(ctx, p) {
    devOf(ctx).setNextBlockTimestamp(afterHead(ctx, int(args(p, 1, 1)[0], 0), 0))
    return null
  },
  evm_setAutomine(ctx, p) {
    devOf(ctx).setAutomine(bool(args(p, 1, 1)[0], 0))
    return null
  },
  anvil_setAutomine(ctx, p) {
    devOf(ctx).setAutomine(bool(args(p, 1, 1)[0], 0))
    return null
  },
  evm_setIntervalMining(ctx, p) {
    devOf(ctx).setIntervalMining(Number(int(args(p, 1, 1)[0], 0)))
    return null
  },
  anvil_setIntervalMining(ctx, p) {
    devOf(ctx).setIntervalMining(Number(int(args(p, 1, 1)[0], 0)))
    return null
  },
  ...edits('anvil'),
  ...edits('hardhat'),
}
