import { describe, expect, test } from 'bun:test'
import { dev } from '../chainspec/index.ts'
import { privateKeyToAddress } from '../crypto/index.ts'
import { bigintToWord, bytesToHex } from '../primitives/index.ts'
import { MemoryState } from '../state/index.ts'
import type { ForkName, Header } from '../types/index.ts'
import { createStatelessTxPool, createTxPool, sampleBlobTx, sidecarBytes, specRules, TxPoolError, type PoolOptions, type SampleBlobTx } from './index.ts'

const key = (i: number) => bigintToWord(BigInt(i) + 0x2000n)
const GWEI = 10n ** 9n

const head: Header = {
  parentHash: new Uint8Array(32), ommersHash: new Uint8Array(32), coinbase: new Uint8Array(20), stateRoot: new Uint8Array(32),
  transactionsRoot: new Uint8Array(32), receiptsRoot: new Uint8Array(32), logsBloom: new Uint8Array(256), difficulty: 0n,
  number: 1n, gasLimit: 30_000_000n, gasUsed: 15_000_000n, timestamp: 100n, extraData: new Uint8Array(0), mixHash: new Uint8Array(32),
  nonce: new Uint8Array(8), baseFeePerGas: GWEI, withdrawalsRoot: new Uint8Array(32), blobGasUsed: 0n, excessBlobGas: 0n,
  parentBeaconBlockRoot: new Uint8Array(32), requestsHash: new Uint8Array(32),
}

/** A stateful pool on the dev chain (Prague), or with the rules of `fork` (Osaka: version 1 sidecars). */
function setup(opts: Partial<PoolOptions> = {}, fork?: ForkName) {
  const state = new MemoryState()
  for (let i = 1; i <= 4; i++) state.setAccount(privateKeyToAddress(key(i)), { balance: 10n ** 20n })
  const prague = specRules(dev)
  const rules = fork ? (h: Header) => ({ ...prague(h), fork, maxBlobsPerTransaction: undefined }) : prague
  const pool = createTxPool({ head: () => ({ header: head, state }), rules }, opts)
  return { pool, state }
}

const blobTx = (k: number, nonce: bigint, o: Partial<SampleBlobTx> = {}) => sampleBlobTx({ chainId: dev.chainId, nonce, key: key(k), ...o }).network

function refusal(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(TxPoolError)
    return (e as Error).message
  }
  throw new Error('expected a TxPoolError')
}

describe('blob pool', () => {
  test('a verified sidecar is found by versioned hash and by transaction hash', () => {
    const { pool } = setup()
    const s = blobTx(1, 0n, { seeds: [1, 2] })
    const p = pool.add(s.tx, { sidecar: s })
    expect(pool.sidecarOf(p.hash)).toBe(s)
    const b = pool.blobByVersionedHash(s.tx.blobVersionedHashes[1]!)!
    expect(b.wrapperVersion).toBe(0)
    expect(bytesToHex(b.blob)).toBe(bytesToHex(s.blobs[1]!))
    expect(b.proofs.map(bytesToHex)).toEqual([bytesToHex(s.proofs[1]!)])
    expect(pool.blobByVersionedHash(new Uint8Array(32).fill(1))).toBeUndefined()
    expect(pool.status()).toEqual({ pending: 1, queued: 0, blobs: 1 })
    // removal takes the sidecar with it
    expect(pool.remove(p.hash)).toBe(true)
    expect(pool.status().blobs).toBe(0)
    expect(pool.sidecarOf(p.hash)).toBeUndefined()
    expect(pool.blobByVersionedHash(s.tx.blobVersionedHashes[0]!)).toBeUndefined()
  })

  test('bad sidecars: wrong proof, count mismatch, wrong commitment, each with its reason', () => {
    const { pool } = setup()
    const s = blobTx(1, 0n, { seeds: [1, 2] })
    expect(refusal(() => pool.add(s.tx, { sidecar: { ...s, proofs: [s.proofs[1]!, s.proofs[0]!] } }))).toBe('invalid blob transaction: invalid blob proof (wrapper version 0)')
    expect(refusal(() => pool.add(s.tx, { sidecar: { ...s, blobs: [s.blobs[0]!] } }))).toBe('invalid blob transaction: 1 blobs for 2 versioned hashes')
    expect(refusal(() => pool.add(s.tx, { sidecar: { ...s, proofs: [s.proofs[0]!] } }))).toBe('invalid blob transaction: 1 proofs, expected 2')
    expect(refusal(() => pool.add(s.tx, { sidecar: { ...s, commitments: [s.commitments[1]!, s.commitments[0]!] } }))).toBe('invalid blob transaction: commitment 0 does not match versioned hash 0')
    expect(refusal(() => pool.add(s.tx))).toStartWith('invalid blob transaction: missing sidecar in blob transaction')
    expect(pool.status()).toEqual({ pending: 0, queued: 0, blobs: 0 })
  })

  test('the wrapper version follows the fork: 0 before Osaka, cell proofs (1) from Osaka', () => {
    const v0 = blobTx(1, 0n)
    const osaka = setup({}, 'osaka').pool
    expect(refusal(() => osaka.add(v0.tx, { sidecar: v0 }))).toBe('invalid blob transaction: unexpected sidecar version, want: 1, got: 0')
    const v1 = blobTx(1, 0n, { wrapperVersion: 1 })
    const p = osaka.add(v1.tx, { sidecar: v1 })
    const b = osaka.blobByVersionedHash(v1.tx.blobVersionedHashes[0]!)!
    expect([b.wrapperVersion, b.proofs.length]).toEqual([1, 128])
    expect(osaka.sidecarOf(p.hash)?.wrapperVersion).toBe(1)
    // a wrong cell proof fails verification
    const bad = { ...v1, proofs: [v1.proofs[1]!, v1.proofs[0]!, ...v1.proofs.slice(2)] }
    expect(refusal(() => setup({}, 'osaka').pool.add(v1.tx, { sidecar: bad }))).toBe('invalid blob transaction: invalid blob proof (wrapper version 1)')
    expect(refusal(() => setup().pool.add(v1.tx, { sidecar: v1 }))).toBe('invalid blob transaction: unexpected sidecar version, want: 0, got: 1')
  })

  test('limits: at maxBlobTxs the cheapest blob transaction makes room for a better-paying one, else the newcomer is refused', () => {
    const { pool } = setup({ blobMaxTxs: 2 })
    const a = pool.add(...args(blobTx(1, 0n, { maxFeePerBlobGas: 5n * GWEI })))
    const b = pool.add(...args(blobTx(2, 0n, { maxFeePerBlobGas: 2n * GWEI })))
    expect(refusal(() => pool.add(...args(blobTx(3, 0n, { maxFeePerBlobGas: 1n * GWEI }))))).toStartWith('transaction underpriced: the blob pool is full (2 of 2 transactions')
    const c = pool.add(...args(blobTx(3, 0n, { maxFeePerBlobGas: 3n * GWEI })))
    expect([pool.has(a.hash), pool.has(b.hash), pool.has(c.hash)]).toEqual([true, false, true])
    expect(pool.sidecarOf(b.hash)).toBeUndefined()
  })

  test('limits: the data cap counts sidecar bytes', () => {
    const one = blobTx(1, 0n)
    const { pool } = setup({ blobDataCap: sidecarBytes(one) + 100 })
    pool.add(one.tx, { sidecar: one })
    expect(refusal(() => pool.add(...args(blobTx(2, 0n, { maxFeePerBlobGas: GWEI }))))).toContain('the blob pool is full')
    // a sidecar bigger than the whole cap is refused outright
    expect(refusal(() => setup({ blobDataCap: 1000 }).pool.add(one.tx, { sidecar: one }))).toContain('the blob pool is full')
  })

  test('replacement needs the blob price bump (100%) on fee cap, tip and blob fee cap; the old sidecar leaves', () => {
    const { pool } = setup()
    const old = pool.add(...args(blobTx(1, 0n, { seeds: [1] })))
    expect(refusal(() => pool.add(...args(blobTx(1, 0n, { seeds: [2], tip: 3n * GWEI, maxFee: 90n * GWEI, maxFeePerBlobGas: GWEI + 1n }))))).toStartWith('replacement transaction underpriced')
    const next = pool.add(...args(blobTx(1, 0n, { seeds: [2], tip: 2n * GWEI, maxFee: 60n * GWEI, maxFeePerBlobGas: 2n * GWEI })))
    expect(pool.has(old.hash)).toBe(false)
    expect(pool.sidecarOf(old.hash)).toBeUndefined()
    expect(pool.sidecarOf(next.hash)).toBeDefined()
  })

  test('inclusion: promote after the nonce moved drops the sidecar', () => {
    const { pool, state } = setup()
    const p = pool.add(...args(blobTx(1, 0n)))
    state.setAccount(privateKeyToAddress(key(1)), { balance: 10n ** 20n, nonce: 1n })
    pool.promote()
    expect(pool.sidecarOf(p.hash)).toBeUndefined()
    expect(pool.blobByVersionedHash(p.tx.type === 3 ? p.tx.blobVersionedHashes[0]! : new Uint8Array(32))).toBeUndefined()
  })

  test('the stateless pool keeps sidecars too, within the same limits', () => {
    const pool = createStatelessTxPool({ head: () => ({ header: head }), rules: specRules(dev) }, { blobMaxTxs: 1 })
    const a = pool.add(...args(blobTx(1, 0n, { maxFeePerBlobGas: GWEI })))
    expect(pool.blobByVersionedHash((a.tx as { blobVersionedHashes: Uint8Array[] }).blobVersionedHashes[0]!)?.wrapperVersion).toBe(0)
    const b = pool.add(...args(blobTx(2, 0n, { maxFeePerBlobGas: 2n * GWEI })))
    expect([pool.has(a.hash), pool.sidecarOf(a.hash), pool.sidecarOf(b.hash)?.tx === b.tx]).toEqual([false, undefined, true])
  })
})

function args(s: ReturnType<typeof blobTx>): [typeof s.tx, { sidecar: typeof s }] {
  return [s.tx, { sidecar: s }]
}
