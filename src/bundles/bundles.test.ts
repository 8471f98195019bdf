import { describe, expect, test } from 'bun:test'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS, dev } from '../chainspec/index.ts'
import { keccak256 } from '../crypto/index.ts'
import type { BlockEnv } from '../executor/index.ts'
import { bytesToHex, concatBytes, hexToBytes } from '../primitives/index.ts'
import { JournaledState, MemoryState } from '../state/index.ts'
import { encodeTransaction, signTransaction, transactionHash, type Transaction } from '../types/index.ts'
import { BundleError, bundleHash, BundleStore, decodeBundleTxs, simulateBundle, type Bundle } from './index.ts'

const COINBASE = hexToBytes('0x00000000000000000000000000000000000000cb')
const sender = hexToBytes(DEV_ACCOUNTS[0]!)
const tx = (nonce: bigint, o: { to?: Uint8Array; value?: bigint; tip?: bigint; chainId?: bigint } = {}): Transaction =>
  signTransaction(
    { type: 2, chainId: o.chainId ?? dev.chainId, nonce, maxPriorityFeePerGas: o.tip ?? 2n, maxFeePerGas: 10n, gasLimit: 21_000n, to: o.to ?? hexToBytes('0x000000000000000000000000000000000000dead'), value: o.value ?? 0n, data: new Uint8Array(0), accessList: [] },
    hexToBytes(DEV_PRIVATE_KEYS[0]!),
  )
const enc = (t: Transaction) => bytesToHex(encodeTransaction(t))
const kind = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return e instanceof BundleError ? e.kind : e
  }
  return 'ok'
}

describe('decodeBundleTxs', () => {
  test('decodes, recovers senders, and names each bad input', () => {
    const [a] = decodeBundleTxs([enc(tx(0n))], dev.chainId)
    expect(a!.sender).toEqual(sender)
    expect(a!.hash).toEqual(transactionHash(tx(0n)))
    expect(kind(() => decodeBundleTxs([], dev.chainId))).toBe('empty')
    expect(kind(() => decodeBundleTxs(['0x02c0'], dev.chainId))).toBe('undecodable')
    expect(kind(() => decodeBundleTxs(['nothex'], dev.chainId))).toBe('undecodable')
    expect(kind(() => decodeBundleTxs(['0x123'], dev.chainId))).toBe('undecodable')
    expect(kind(() => decodeBundleTxs([enc(tx(0n)), enc(tx(0n))], dev.chainId))).toBe('duplicate')
    expect(kind(() => decodeBundleTxs([enc(tx(0n, { chainId: 1n }))], dev.chainId))).toBe('wrong-chain')
    expect(kind(() => decodeBundleTxs(Array.from({ length: 101 }, (_, i) => enc(tx(BigInt(i)))), dev.chainId))).toBe('too-large')
  })

  test('new transactions among seen ones: senders recovered together, a bad signature named by its index', () => {
    const other = signTransaction({ ...tx(7n), yParity: undefined, r: undefined, s: undefined } as never, hexToBytes(DEV_PRIVATE_KEYS[1]!))
    decodeBundleTxs([enc(tx(5n))], dev.chainId) // seen before
    const got = decodeBundleTxs([enc(tx(6n)), enc(tx(5n)), enc(other), enc(tx(8n))], dev.chainId)
    expect(got.map((t): string => bytesToHex(t.sender))).toEqual([DEV_ACCOUNTS[0], DEV_ACCOUNTS[0], DEV_ACCOUNTS[1], DEV_ACCOUNTS[0]].map((a) => a!.toLowerCase()))
    expect(got.map((t) => t.tx.nonce)).toEqual([6n, 5n, 7n, 8n])
    const bad = { ...tx(9n), s: 0n } as Transaction
    expect(() => decodeBundleTxs([enc(tx(10n)), enc(bad)], dev.chainId)).toThrow(/^transaction 1 \(0x[0-9a-f]{64}\): invalid signature: .*s is out of range$/)
  })

  test("the bundle hash is keccak256 of the transaction hashes, Flashbots' way", () => {
    const hs = [transactionHash(tx(0n)), transactionHash(tx(1n))]
    expect(bundleHash(hs)).toEqual(keccak256(concatBytes(hs[0]!, hs[1]!)))
  })
})

describe('simulateBundle', () => {
  const env: BlockEnv = { coinbase: COINBASE, number: 1n, timestamp: 12n, gasLimit: 30_000_000n, baseFee: 7n, prevRandao: 0n, blobBaseFee: 1n, chainId: dev.chainId }
  const state = () => {
    const base = new MemoryState()
    base.setAccount(sender, { balance: 10n ** 18n })
    return new JournaledState(base, { block: env })
  }

  test("tips at the base fee, direct payments, and the bundle's totals", () => {
    // tip 2 under a fee cap of 10 at base fee 7: min(2, 3) = 2; the second pays the coinbase 1000 wei directly
    const txs = decodeBundleTxs([enc(tx(0n)), enc(tx(1n, { to: COINBASE, value: 1000n }))], dev.chainId)
    const sim = simulateBundle(state(), txs, { env, fork: 'prague' })
    expect(sim.results.map((r) => [r.gasUsed, r.gasPrice, r.gasFees, r.coinbaseDiff, r.ethSentToCoinbase])).toEqual([
      [21_000n, 2n, 42_000n, 42_000n, 0n],
      [21_000n, 2n, 42_000n, 43_000n, 1000n],
    ])
    expect([sim.totalGasUsed, sim.gasFees, sim.coinbaseDiff, sim.ethSentToCoinbase, sim.bundleGasPrice]).toEqual([42_000n, 84_000n, 85_000n, 1000n, 85_000n / 42_000n])
    expect(sim.hash).toEqual(bundleHash(txs.map((t) => t.hash)))
  })

  test('an invalid transaction stops the simulation, named', () => {
    const txs = decodeBundleTxs([enc(tx(0n)), enc(tx(5n))], dev.chainId)
    expect(() => simulateBundle(state(), txs, { env, fork: 'prague' })).toThrow(/transaction 1 \(0x[0-9a-f]{64}\) is invalid/)
  })

  test('transactions run first are outside the results, and move the nonce on', () => {
    const first = tx(0n)
    const sim = simulateBundle(state(), decodeBundleTxs([enc(tx(1n))], dev.chainId), { env, fork: 'prague' }, { before: [{ tx: first, sender }] })
    expect(sim.results).toHaveLength(1)
    expect(sim.blockGasUsed).toBe(42_000n)
  })
})

describe('BundleStore', () => {
  const bundle = (blockNumber: bigint, o: Partial<Bundle> = {}): Bundle => {
    const txs = decodeBundleTxs([enc(tx(blockNumber))], dev.chainId)
    return { txs, hash: bundleHash(txs.map((t) => t.hash)), blockNumber, revertingTxHashes: new Set(), ...o }
  }

  test('bundles by block and time window; passed blocks pruned; stale and full refused', () => {
    const s = new BundleStore(3)
    s.add(bundle(5n), 4n)
    s.add(bundle(5n), 4n) // the same again replaces
    s.add(bundle(6n, { minTimestamp: 100n, maxTimestamp: 200n }), 4n)
    expect(s.size).toBe(2)
    expect(s.forBlock(5n, 1n)).toHaveLength(1)
    expect(s.forBlock(6n, 99n)).toHaveLength(0)
    expect(s.forBlock(6n, 150n)).toHaveLength(1)
    expect(s.forBlock(6n, 201n)).toHaveLength(0)
    expect(kind(() => s.add(bundle(4n), 4n))).toBe('stale')
    s.add(bundle(7n), 4n)
    expect(kind(() => s.add(bundle(8n), 4n))).toBe('full')
    s.prune(6n)
    expect(s.size).toBe(1)
    expect(s.forBlock(5n, 1n)).toHaveLength(0)
  })
})
