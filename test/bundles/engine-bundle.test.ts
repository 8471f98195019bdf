/**
 * The Engine API's payload builder puts eth_sendBundle's bundles at the top of the payload,
 * all or none (issue 17 item 4), through bin/mosaic driven as a consensus client drives it: a
 * bundle of two transfers for block 1 goes in first and in order, ahead of a better-paying pool
 * transaction of the same nonce (which then cannot go in);
 * a bundle with an invalid transaction (a nonce gap) stays out whole; the payload is VALID on
 * newPayload and its blockValue counts the bundle's tips.
 */
import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../../src/crypto/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { cancunGenesis, fcState, hex, transfer, useEngineNode, type PayloadJson } from '../engine/helpers.ts'

const env = useEngineNode('mosaic-engine-bundle-', cancunGenesis(), new Uint8Array(32).fill(0x17))

async function rpc<T = any>(method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(env.node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await r.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}
const txHash = (raw: Hex) => bytesToHex(keccak256(hexToBytes(raw)))
const BEACON = `0x${'be'.repeat(32)}` as Hex
const FEE = '0x00000000000000000000000000000000000000fe' as Hex

describe('Engine API payloads with bundles', () => {
  test('a bundle goes in at the top, whole; one with an invalid transaction stays out', async () => {
    const genesis = await rpc<{ hash: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['0x0', false])
    const bundle = [transfer(0n, { tip: 1_000_000_000n }), transfer(1n, { tip: 1_000_000_000n })]
    const gapped = [transfer(7n, { tip: 5_000_000_000n, value: 2n })]
    // a pool transaction of the same nonce paying more per gas: the bundle comes first, so it cannot go in
    const pooled = transfer(0n, { tip: 4_000_000_000n, value: 5n })
    await rpc('eth_sendBundle', [{ txs: gapped, blockNumber: '0x1' }])
    const sent = await rpc<{ bundleHash: Hex }>('eth_sendBundle', [{ txs: bundle, blockNumber: '0x1' }])
    expect(sent.bundleHash).toBe(bytesToHex(keccak256(hexToBytes(`0x${bundle.map((t) => txHash(t).slice(2)).join('')}`))))
    expect(await rpc('eth_sendRawTransaction', [pooled])).toBe(txHash(pooled))
    const attrs = { timestamp: hex(BigInt(genesis.timestamp) + 12n), prevRandao: `0x${'01'.repeat(32)}`, suggestedFeeRecipient: FEE, withdrawals: [], parentBeaconBlockRoot: BEACON }
    const r = await env.engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(genesis.hash), attrs])
    // let the first full build run
    await Bun.sleep(200)
    const got = await env.engine.call<{ executionPayload: PayloadJson & { transactions: Hex[] }; blockValue: Hex }>('engine_getPayloadV3', [r.payloadId])
    expect(got.executionPayload.transactions).toEqual(bundle)
    const base = BigInt(got.executionPayload.baseFeePerGas as Hex)
    expect(base).toBeLessThan(1_000_000_000n)
    // EIP-1559 tips: min(tip, fee cap − base fee), 21000 gas each
    expect(BigInt(got.blockValue)).toBe(21_000n * 1_000_000_000n * 2n)
    const status = await env.engine.call<{ status: string }>('engine_newPayloadV3', [got.executionPayload, [], BEACON])
    expect(status.status).toBe('VALID')
  })
})
