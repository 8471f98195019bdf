import { describe, expect, test } from 'bun:test'
import { dev, mainnet } from '../chainspec/index.ts'
import { privateKeyToAddress } from '../crypto/index.ts'
import { bigintToWord, bytesToHex } from '../primitives/index.ts'
import { signTransaction, type Header, type Transaction } from '../types/index.ts'
import { MemoryState } from '../state/index.ts'
import { createStatelessTxPool, DEFAULT_POOL_OPTIONS, liveRules, TxPoolError, type PoolDeps, type PooledTransaction, type PoolOptions, type TxPoolErrorKind } from './index.ts'

const key = (i: number) => bigintToWord(BigInt(i) + 0x2000n)
const A = privateKeyToAddress(key(1))
const TO = new Uint8Array(20).fill(0x33)
const GWEI = 10n ** 9n

// a genesis-like header: the stateless pool reads no state and takes its rules from liveRules
const genesis = { number: 0n, timestamp: 0n, gasLimit: 5000n } as Header

function setup(opts: Partial<PoolOptions> = {}, clock = { ms: 1_000_000 }) {
  const pool = createStatelessTxPool({ head: () => ({ header: genesis }), rules: liveRules(dev), now: () => clock.ms }, { ...DEFAULT_POOL_OPTIONS, ...opts })
  const events: PooledTransaction[][] = []
  pool.onPending((txs) => events.push(txs))
  return { pool, events, clock }
}

function tx(k: number, nonce: bigint, over: Partial<{ tip: bigint; fee: bigint; gas: bigint; chainId: bigint }> = {}): Transaction {
  return signTransaction(
    { type: 2, chainId: over.chainId ?? dev.chainId, nonce, maxPriorityFeePerGas: over.tip ?? GWEI, maxFeePerGas: over.fee ?? 10n * GWEI, gasLimit: over.gas ?? 21_000n, to: TO, value: 10n ** 30n, data: new Uint8Array(0), accessList: [] },
    key(k),
  )
}

function rejects(f: () => unknown, kind: TxPoolErrorKind) {
  let err: unknown
  try {
    f()
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(TxPoolError)
  expect((err as TxPoolError).kind).toBe(kind)
}

describe('stateless pool', () => {
  test('createStatelessTxPool given a state reads none of it', () => {
    const state = new MemoryState() // empty: a stateful pool would refuse for funds
    const deps: PoolDeps = { head: () => ({ header: genesis, state }), rules: liveRules(dev) }
    const pool = createStatelessTxPool(deps)
    pool.add(tx(1, 4n))
    expect(pool.status()).toEqual({ pending: 1, queued: 0, blobs: 0 })
  })

  test('no nonce or balance checks: gaps and unfunded senders are all pending, in nonce order', () => {
    const { pool, events } = setup()
    pool.add(tx(1, 7n))
    pool.add(tx(1, 3n))
    pool.add(tx(1, 5n))
    const c = pool.content()
    expect(c.queued.size).toBe(0)
    expect(c.pending.get(bytesToHex(A))!.map((p) => p.tx.nonce)).toEqual([3n, 5n, 7n])
    expect(pool.status()).toEqual({ pending: 3, queued: 0, blobs: 0 })
    expect(events.map((e) => e.map((p) => p.tx.nonce))).toEqual([[7n], [3n], [5n]])
    expect(pool.nonce(A)).toBe(8n)
    expect(pool.contentFrom(A).pending).toHaveLength(3)
    rejects(() => pool.add(tx(1, 7n)), 'already-known')
  })

  test('stateless checks still apply: chain id, intrinsic gas, minimum tip', () => {
    const { pool } = setup()
    rejects(() => pool.add(tx(1, 0n, { chainId: 1n })), 'invalid-chain-id')
    rejects(() => pool.add(tx(1, 0n, { gas: 20_000n })), 'intrinsic-gas')
    rejects(() => pool.add(tx(1, 0n, { tip: 0n })), 'underpriced')
    expect(pool.status().pending).toBe(0)
  })

  test('replacement needs the price bump', () => {
    const { pool } = setup()
    pool.add(tx(1, 0n))
    rejects(() => pool.add(tx(1, 0n, { tip: GWEI + 1n, fee: 10n * GWEI + 1n })), 'replacement-underpriced')
    const r = pool.add(tx(1, 0n, { tip: 2n * GWEI, fee: 11n * GWEI }))
    expect(pool.contentFrom(A).pending).toEqual([r])
  })

  test('account limit: the lowest nonce makes room for a higher one; a lower one is refused', () => {
    const { pool } = setup({ accountSlots: 2, accountQueue: 1 })
    for (const n of [10n, 11n, 12n]) pool.add(tx(1, n))
    pool.add(tx(1, 13n))
    expect(pool.contentFrom(A).pending.map((p) => p.tx.nonce)).toEqual([11n, 12n, 13n])
    rejects(() => pool.add(tx(1, 5n)), 'account-limit')
  })

  test('global limit: the cheapest goes (the oldest among equals); a cheaper newcomer is refused', () => {
    const { pool } = setup({ globalSlots: 2, globalQueue: 1 })
    const a = pool.add(tx(1, 0n, { tip: 2n * GWEI }))
    const b = pool.add(tx(2, 0n))
    const c = pool.add(tx(3, 0n))
    pool.add(tx(4, 0n)) // as cheap as b and c: b, the oldest of them, goes
    expect(pool.has(b.hash)).toBe(false)
    expect(pool.has(c.hash)).toBe(true)
    expect(pool.has(a.hash)).toBe(true)
    rejects(() => pool.add(tx(5, 0n, { tip: GWEI / 2n })), 'underpriced')
    pool.add(tx(6, 0n, { tip: 3n * GWEI }))
    expect(pool.has(c.hash)).toBe(false)
    expect(pool.status().pending).toBe(3)
  })

  test('transactions expire after the lifetime (nothing says what got mined)', () => {
    const clock = { ms: 0 }
    const { pool } = setup({ lifetimeMs: 60_000 }, clock)
    const old = pool.add(tx(1, 0n))
    clock.ms = 30_000
    const young = pool.add(tx(2, 0n))
    clock.ms = 61_000
    pool.promote()
    expect(pool.has(old.hash)).toBe(false)
    expect(pool.has(young.hash)).toBe(true)
    clock.ms = 95_000
    pool.add(tx(3, 0n)) // add expires too
    expect(pool.has(young.hash)).toBe(false)
    expect(pool.status().pending).toBe(1)
  })

  test('remove and best', () => {
    const { pool } = setup()
    const a = pool.add(tx(1, 0n, { tip: 2n * GWEI }))
    const b = pool.add(tx(2, 0n, { tip: 3n * GWEI }))
    expect(pool.best(0n).map((p) => p.hash)).toEqual([b.hash, a.hash])
    expect(pool.remove(b.hash)).toBe(true)
    expect(pool.remove(b.hash)).toBe(false)
    expect(pool.status().pending).toBe(1)
  })
})

describe('liveRules', () => {
  test('block forks passed, time forks by the clock', () => {
    expect(liveRules(mainnet, () => 1_700_000_000n)(genesis).fork).toBe('shanghai')
    expect(liveRules(mainnet, () => 1_800_000_000n)(genesis).fork).toBe('osaka')
    const r = liveRules(mainnet, () => 1_720_000_000n)(genesis)
    expect(r).toMatchObject({ fork: 'cancun', chainId: 1n, baseFee: 0n })
    expect(r.maxBlobsPerTransaction).toBe(6)
  })
})
