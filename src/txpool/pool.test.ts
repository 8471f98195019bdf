import { describe, expect, test } from 'bun:test'
import { dev } from '../chainspec/index.ts'
import { privateKeyToAddress } from '../crypto/index.ts'
import { bigintToWord, bytesToHex, type Address } from '../primitives/index.ts'
import { MemoryState } from '../state/index.ts'
import { signTransaction, type Header, type Transaction } from '../types/index.ts'
import { createTxPool, specRules, TxPoolError, type PooledTransaction, type TxPoolErrorKind } from './index.ts'

const key = (i: number) => bigintToWord(BigInt(i) + 0x1000n)
const A = privateKeyToAddress(key(1))
const B = privateKeyToAddress(key(2))
const TO = new Uint8Array(20).fill(0x22)
const ETH = 10n ** 18n
const GWEI = 10n ** 9n

function header(over: Partial<Header> = {}): Header {
  return {
    parentHash: new Uint8Array(32), ommersHash: new Uint8Array(32), coinbase: new Uint8Array(20), stateRoot: new Uint8Array(32),
    transactionsRoot: new Uint8Array(32), receiptsRoot: new Uint8Array(32), logsBloom: new Uint8Array(256), difficulty: 0n,
    number: 1n, gasLimit: 30_000_000n, gasUsed: 15_000_000n, timestamp: 100n, extraData: new Uint8Array(0), mixHash: new Uint8Array(32),
    nonce: new Uint8Array(8), baseFeePerGas: GWEI, withdrawalsRoot: new Uint8Array(32), blobGasUsed: 0n, excessBlobGas: 0n,
    parentBeaconBlockRoot: new Uint8Array(32), requestsHash: new Uint8Array(32), ...over,
  }
}

function setup(opts: Parameters<typeof createTxPool>[1] = {}) {
  const state = new MemoryState()
  state.setAccount(A, { balance: 100n * ETH })
  state.setAccount(B, { balance: 100n * ETH })
  let head = header()
  const pool = createTxPool({ head: () => ({ header: head, state }), rules: specRules(dev) }, opts)
  const events: PooledTransaction[][] = []
  pool.onPending((txs) => events.push(txs))
  return { state, pool, events, setHead: (h: Header) => (head = h) }
}

function tx(k: number, nonce: bigint, over: Partial<{ tip: bigint; fee: bigint; gas: bigint; value: bigint; data: Uint8Array }> = {}): Transaction {
  return signTransaction(
    {
      type: 2, chainId: dev.chainId, nonce, maxPriorityFeePerGas: over.tip ?? GWEI, maxFeePerGas: over.fee ?? 10n * GWEI,
      gasLimit: over.gas ?? 21_000n, to: TO, value: over.value ?? 1n, data: over.data ?? new Uint8Array(0), accessList: [],
    },
    key(k),
  )
}

function rejects(f: () => unknown, kind: TxPoolErrorKind, message?: string) {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TxPoolError)
    expect((e as TxPoolError).kind).toBe(kind)
    if (message) expect((e as TxPoolError).message.startsWith(message)).toBe(true)
    return
  }
  throw new Error(`expected ${kind}`)
}

describe('txpool', () => {
  test('pending and queued by nonce gaps; events when executable', () => {
    const { pool, events } = setup()
    pool.add(tx(1, 0n))
    pool.add(tx(1, 2n))
    expect(pool.status()).toEqual({ pending: 1, queued: 1, blobs: 0 })
    expect(pool.nonce(A)).toBe(1n)
    expect(events.length).toBe(1)
    pool.add(tx(1, 1n))
    expect(pool.status()).toEqual({ pending: 3, queued: 0, blobs: 0 })
    expect(pool.nonce(A)).toBe(3n)
    // the gap filler and the previously queued one are announced together, in nonce order
    expect(events[1]!.map((p) => p.tx.nonce)).toEqual([1n, 2n])
    expect(pool.contentFrom(A).pending.map((p) => p.tx.nonce)).toEqual([0n, 1n, 2n])
  })

  test('geth error kinds and messages', () => {
    const { pool, state } = setup()
    const t = tx(1, 0n)
    pool.add(t)
    rejects(() => pool.add(t), 'already-known', 'already known')
    state.setAccount(A, { balance: 100n * ETH, nonce: 5n })
    rejects(() => pool.add(tx(1, 3n)), 'nonce-too-low', 'nonce too low: next nonce 5, tx nonce 3')
    rejects(() => pool.add(tx(2, 0n, { value: 1000n * ETH })), 'insufficient-funds', 'insufficient funds for gas * price + value')
    rejects(() => pool.add(tx(2, 0n, { gas: 20_000n })), 'intrinsic-gas', 'intrinsic gas too low')
    rejects(() => pool.add(tx(2, 0n, { gas: 40_000_000n })), 'block-gas-limit', 'exceeds block gas limit')
    rejects(() => pool.add(tx(2, 0n, { tip: 0n })), 'underpriced', 'transaction underpriced')
    rejects(() => pool.add(tx(2, 0n, { gas: 10_000_000n, data: new Uint8Array(132_000).fill(1) })), 'oversized-data', 'oversized data')
    const wrongChain = signTransaction({ type: 2, chainId: 1n, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: GWEI, gasLimit: 21_000n, to: TO, value: 0n, data: new Uint8Array(0), accessList: [] }, key(2))
    rejects(() => pool.add(wrongChain), 'invalid-chain-id')
  })

  test('replacement needs a 10% bump on fee cap and tip', () => {
    const { pool } = setup()
    const first = pool.add(tx(1, 0n, { tip: 10n * GWEI, fee: 100n * GWEI }))
    rejects(() => pool.add(tx(1, 0n, { tip: 10n * GWEI + 1n, fee: 200n * GWEI })), 'replacement-underpriced', 'replacement transaction underpriced')
    rejects(() => pool.add(tx(1, 0n, { tip: 20n * GWEI, fee: 109n * GWEI })), 'replacement-underpriced')
    const second = pool.add(tx(1, 0n, { tip: 11n * GWEI, fee: 110n * GWEI }))
    expect(pool.has(first.hash)).toBe(false)
    expect(pool.get(second.hash)).toBe(second)
    expect(pool.status()).toEqual({ pending: 1, queued: 0, blobs: 0 })
  })

  test('per-account and global limits evict the cheapest', () => {
    const small = setup({ accountSlots: 1, accountQueue: 1, globalSlots: 2, globalQueue: 0 })
    small.pool.add(tx(1, 0n))
    small.pool.add(tx(1, 1n))
    rejects(() => small.pool.add(tx(1, 2n)), 'account-limit', 'account limit exceeded')
    // full: a cheaper transaction is refused, a better-paying one evicts the cheapest
    rejects(() => small.pool.add(tx(2, 0n, { tip: GWEI / 2n })), 'underpriced')
    const rich = small.pool.add(tx(2, 0n, { tip: 5n * GWEI }))
    expect(small.pool.has(rich.hash)).toBe(true)
    expect(small.pool.status().pending + small.pool.status().queued).toBe(2)
  })

  test('best: highest effective tip first, nonce order per sender, below base fee skipped', () => {
    const { pool } = setup()
    pool.add(tx(1, 0n, { tip: 1n * GWEI }))
    pool.add(tx(1, 1n, { tip: 9n * GWEI, fee: 20n * GWEI }))
    pool.add(tx(2, 0n, { tip: 5n * GWEI }))
    const order = pool.best(GWEI).map((p) => `${bytesToHex(p.sender) === bytesToHex(A) ? 'A' : 'B'}${p.tx.nonce}`)
    expect(order).toEqual(['B0', 'A0', 'A1'])
    // at a base fee above A's first fee cap, A contributes nothing
    expect(pool.best(15n * GWEI).length).toBe(0)
  })

  test('promote drops mined and unaffordable transactions and announces promoted ones', () => {
    const { pool, state, events, setHead } = setup()
    pool.add(tx(1, 0n))
    pool.add(tx(1, 1n))
    pool.add(tx(1, 3n))
    state.setAccount(A, { balance: 100n * ETH, nonce: 2n }) // 0 and 1 mined
    setHead(header({ number: 2n }))
    pool.add(tx(1, 2n))
    pool.promote()
    expect(pool.contentFrom(A).pending.map((p) => p.tx.nonce)).toEqual([2n, 3n])
    expect(events.at(-1)!.map((p) => p.tx.nonce)).toEqual([2n, 3n])
    state.setAccount(A, { balance: 1n, nonce: 2n })
    pool.promote()
    expect(pool.status()).toEqual({ pending: 0, queued: 0, blobs: 0 })
  })

  test('blob transactions need the network form', () => {
    const { pool } = setup()
    const blob = signTransaction(
      { type: 3, chainId: dev.chainId, nonce: 0n, maxPriorityFeePerGas: GWEI, maxFeePerGas: 10n * GWEI, gasLimit: 21_000n, to: TO, value: 0n, data: new Uint8Array(0), accessList: [], maxFeePerBlobGas: GWEI, blobVersionedHashes: [new Uint8Array(32).fill(1)] },
      key(1),
    )
    rejects(() => pool.add(blob), 'blob', 'invalid blob transaction: missing sidecar')
  })

  test('content lists pending and queued per sender', () => {
    const { pool } = setup()
    pool.add(tx(1, 0n))
    pool.add(tx(2, 1n))
    const c = pool.content()
    expect([...c.pending.keys()]).toEqual([bytesToHex(A)])
    expect([...c.queued.keys()]).toEqual([bytesToHex(B as Address)])
    expect(pool.remove(c.pending.get(bytesToHex(A))![0]!.hash)).toBe(true)
    expect(pool.status()).toEqual({ pending: 0, queued: 1, blobs: 0 })
  })
})
