/**
 * Dev controls under anvil's and Hardhat's names (evm_*, anvil_*, hardhat_*), through
 * `DevControls`. Numbers may be JSON integers or hex quantities, as those tools send both.
 * Intervals are in seconds (anvil's convention for evm_setIntervalMining).
 */
import type { DevControls } from '../backend.ts'
import type { Methods, RpcContext } from '../context.ts'
import { LimitExceededError, UnsupportedError } from '../errors.ts'
import { qty } from '../format/hex.ts'
import { address, args, bool, data, fail, object, quantity, storageKey, type At } from '../params.ts'
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
  async evm_mine(ctx, p) {
    const a = args(p, 1)
    const v = a[0]
    if (v != null && typeof v === 'object') {
      const o = object(v, 0)
      await mineMany(ctx, o.blocks == null ? 1n : int(o.blocks, '0.blocks'), undefined)
      return qty(0)
    }
    await devOf(ctx).mine(v == null ? {} : { timestamp: afterHead(ctx, int(v, 0), 0) })
    return qty(0)
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
