/**
 * eth_callBundle against the block that mines the same transactions (issue 17 item 4), through
 * bin/mosaic: 50 bundles of one to three transactions — contract calls that log, store and pay
 * the fee recipient, reverting ones (allowed through revertingTxHashes), plain payments to the
 * fee recipient, legacy and EIP-1559 — each simulated with eth_callBundle, then sent with
 * eth_sendBundle and mined with evm_mine: the block holds exactly the bundle at its top, and
 * gas, status, logs and the fee recipient's balance difference agree with the simulation. Then
 * bundles that must stay out (a revert not allowed, an invalid transaction), the pool's pending
 * transactions applied first, and bad input answered with JSON-RPC errors while the node stays up.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { DEV_ACCOUNTS } from '../../src/chainspec/index.ts'
import { bytesToHex, hexToBytes } from '../../src/primitives/index.ts'
import { transactionHash, type Transaction } from '../../src/types/index.ts'
import { rpc, rpcRaw, startMosaic, type Child } from '../e2e/processes.ts'
import { GWEI, PAYER_INIT, raw, signedTx, word } from './helpers.ts'

setDefaultTimeout(60_000)

let node: Child
let contract: Uint8Array
const nonces = new Map<number, bigint>()
const nextNonce = (a: number) => {
  const n = nonces.get(a) ?? 0n
  nonces.set(a, n + 1n)
  return n
}
const peek = (a: number) => nonces.get(a) ?? 0n
const head = async () => BigInt(await rpc(node.url, 'eth_blockNumber'))
const hashOf = (t: Transaction) => bytesToHex(transactionHash(t))

beforeAll(async () => {
  node = await startMosaic(['--no-mining'])
  const deploy = signedTx({ account: 9, nonce: nextNonce(9), to: null, data: hexToBytes(PAYER_INIT) })
  await rpc(node.url, 'eth_sendRawTransaction', [raw(deploy)])
  await rpc(node.url, 'evm_mine')
  contract = hexToBytes((await rpc(node.url, 'eth_getTransactionReceipt', [hashOf(deploy)])).contractAddress)
})

afterAll(async () => {
  await node?.stop()
})

/** Transaction `j` of bundle `i`: four kinds in turn, from accounts 0–8. */
function bundleTx(i: number, j: number, coinbase: Uint8Array): { tx: Transaction; reverts: boolean } {
  const account = (i * 3 + j) % 9
  const kind = (i + j) % 4
  const tip = BigInt(1 + (i % 5)) * GWEI
  const x = BigInt(i * 10 + j) * 2n + (kind === 1 ? 1n : 0n)
  if (kind === 2) return { tx: signedTx({ account, nonce: nextNonce(account), to: coinbase, value: BigInt(i + 1) * 10n ** 12n, tip, gas: 21_000n }), reverts: false }
  return { tx: signedTx({ account, nonce: nextNonce(account), to: contract, data: word(x), value: BigInt(i) * 1000n, tip, legacy: kind === 3 }), reverts: kind === 1 }
}

describe('eth_callBundle agrees with the block that mines the bundle', () => {
  test('50 bundles: gas, status, logs and the fee recipient difference', async () => {
    let reverted = 0
    let paid = 0
    for (let i = 0; i < 50; i++) {
      const parent = await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])
      const coinbase = hexToBytes(parent.miner)
      const txs = Array.from({ length: 1 + (i % 3) }, (_, j) => bundleTx(i, j, coinbase))
      const target = BigInt(parent.number) + 1n
      const sim = await rpc(node.url, 'eth_callBundle', [{ txs: txs.map((t) => raw(t.tx)), blockNumber: `0x${target.toString(16)}`, stateBlockNumber: 'latest' }])
      expect(sim.stateBlockNumber).toBe(Number(parent.number))
      const sent = await rpc(node.url, 'eth_sendBundle', [{ txs: txs.map((t) => raw(t.tx)), blockNumber: `0x${target.toString(16)}`, revertingTxHashes: txs.filter((t) => t.reverts).map((t) => hashOf(t.tx)) }])
      expect(sent.bundleHash).toBe(sim.bundleHash)
      await rpc(node.url, 'evm_mine')
      const block = await rpc(node.url, 'eth_getBlockByNumber', [`0x${target.toString(16)}`, false])
      expect(block.transactions).toEqual(txs.map((t) => hashOf(t.tx)))
      expect(BigInt(block.gasUsed)).toBe(BigInt(sim.totalGasUsed))
      let gasFees = 0n
      for (const [k, r] of sim.results.entries()) {
        const receipt = await rpc(node.url, 'eth_getTransactionReceipt', [r.txHash])
        expect(r.txHash).toBe(hashOf(txs[k]!.tx))
        expect(BigInt(receipt.gasUsed)).toBe(BigInt(r.gasUsed))
        expect(receipt.status).toBe(txs[k]!.reverts ? '0x0' : '0x1')
        expect(r.error !== undefined).toBe(txs[k]!.reverts)
        if (txs[k]!.reverts) reverted++
        expect(receipt.logs.map((l: any) => ({ address: l.address, topics: l.topics, data: l.data }))).toEqual(r.logs)
        expect(BigInt(r.gasFees)).toBe(BigInt(r.gasUsed) * BigInt(r.gasPrice))
        expect(BigInt(r.coinbaseDiff)).toBe(BigInt(r.gasFees) + BigInt(r.ethSentToCoinbase))
        gasFees += BigInt(r.gasFees)
      }
      const before = BigInt(await rpc(node.url, 'eth_getBalance', [parent.miner, parent.number]))
      const after = BigInt(await rpc(node.url, 'eth_getBalance', [parent.miner, block.number]))
      expect(after - before).toBe(BigInt(sim.coinbaseDiff))
      expect(BigInt(sim.gasFees)).toBe(gasFees)
      expect(BigInt(sim.coinbaseDiff)).toBe(gasFees + BigInt(sim.ethSentToCoinbase))
      expect(BigInt(sim.bundleGasPrice)).toBe(BigInt(sim.coinbaseDiff) / BigInt(sim.totalGasUsed))
      if (BigInt(sim.ethSentToCoinbase) > 0n) paid++
    }
    expect(reverted).toBeGreaterThan(10)
    expect(paid).toBeGreaterThan(10)
  })
})

describe('eth_sendBundle: all or none', () => {
  const mineOne = async (txs: Transaction[], reverting: Transaction[] = []) => {
    const target = (await head()) + 1n
    await rpc(node.url, 'eth_sendBundle', [{ txs: txs.map(raw), blockNumber: `0x${target.toString(16)}`, revertingTxHashes: reverting.map(hashOf) }])
    await rpc(node.url, 'evm_mine')
    return (await rpc(node.url, 'eth_getBlockByNumber', ['latest', false])).transactions as string[]
  }

  test('a bundle whose revert is not allowed stays out, whole', async () => {
    const ok = signedTx({ account: 0, nonce: peek(0), to: contract, data: word(2n) })
    const bad = signedTx({ account: 1, nonce: peek(1), to: contract, data: word(3n) })
    expect(await mineOne([ok, bad])).toEqual([])
    // the same bundle with the revert allowed goes in
    expect(await mineOne([ok, bad], [bad])).toEqual([hashOf(ok), hashOf(bad)])
    nextNonce(0)
    nextNonce(1)
  })

  test('a bundle with an invalid transaction stays out, whole', async () => {
    const ok = signedTx({ account: 2, nonce: peek(2), to: contract, data: word(4n) })
    const gapped = signedTx({ account: 3, nonce: peek(3) + 5n, to: contract, data: word(6n) })
    expect(await mineOne([ok, gapped])).toEqual([])
  })

  test('a bundle for a block already on the chain is refused', async () => {
    const t = signedTx({ account: 2, nonce: peek(2), to: contract, data: word(4n) })
    const r = await rpcRaw(node.url, 'eth_sendBundle', [{ txs: [raw(t)], blockNumber: `0x${(await head()).toString(16)}` }])
    expect(r.error?.code).toBe(-32000)
    expect(r.error?.message).toContain('already on the chain')
  })
})

describe('eth_callBundle with the pool first', () => {
  test('applyPending runs the pool’s pending transactions before the bundle', async () => {
    const first = signedTx({ account: 4, nonce: peek(4), to: contract, data: word(8n) })
    const second = signedTx({ account: 4, nonce: peek(4) + 1n, to: contract, data: word(10n) })
    await rpc(node.url, 'eth_sendRawTransaction', [raw(first)])
    const target = `0x${((await head()) + 1n).toString(16)}`
    const alone = await rpcRaw(node.url, 'eth_callBundle', [{ txs: [raw(second)], blockNumber: target }])
    expect(alone.error?.code).toBe(-32000)
    expect(alone.error?.message).toContain(hashOf(second))
    const after = await rpc(node.url, 'eth_callBundle', [{ txs: [raw(second)], blockNumber: target, applyPending: true }])
    expect(after.results.map((r: any) => r.txHash)).toEqual([hashOf(second)])
    expect(after.results[0].error).toBeUndefined()
  })
})

describe('bad bundles get a clear JSON-RPC error and the node stays up', () => {
  const target = async () => `0x${((await head()) + 1n).toString(16)}`
  const good = () => signedTx({ account: 5, nonce: peek(5), to: contract, data: word(2n) })
  for (const method of ['eth_callBundle', 'eth_sendBundle']) {
    test(`${method}: undecodable, duplicate, wrong-chain, empty, no block number`, async () => {
      const cases: [unknown, number, string][] = [
        [{ txs: ['0x1234'], blockNumber: await target() }, -32602, 'transaction 0 does not decode'],
        [{ txs: ['0x02c0'], blockNumber: await target() }, -32602, 'does not decode'],
        [{ txs: ['nothex'], blockNumber: await target() }, -32602, 'transaction 0 is not 0x-prefixed hex'],
        [{ txs: [42], blockNumber: await target() }, -32602, 'invalid argument'],
        [{ txs: [raw(good()), raw(good())], blockNumber: await target() }, -32602, 'is transaction 0 again'],
        [{ txs: [raw(signedTx({ account: 5, nonce: 0n, to: contract, chainId: 1n }))], blockNumber: await target() }, -32602, 'signed for chain 1, not 31337'],
        [{ txs: [], blockNumber: await target() }, -32602, 'bundle missing txs'],
        [{ txs: [raw(good())] }, -32602, 'bundle missing blockNumber'],
        [{ txs: [raw(good())], blockNumber: await target(), extra: 1 }, -32602, 'extra'],
        ['not an object', -32602, 'invalid argument'],
      ]
      for (const [params, code, message] of cases) {
        const r = await rpcRaw(node.url, method, [params])
        expect({ params, code: r.error?.code }).toEqual({ params, code })
        expect(r.error!.message).toContain(message)
      }
      expect(await head()).toBeGreaterThan(50n)
    })
  }
})
