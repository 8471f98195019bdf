/**
 * The blob pool end to end: `bin/mosaic --chain genesis.json (Cancun) --authrpc.*` as a child
 * process. A blob transaction in network form (wrapper version 0) goes to the public RPC;
 * engine_getBlobsV1 over the JWT port answers its blob and proof by versioned hash; a payload
 * built with forkchoiceUpdatedV3 + getPayloadV3 carries it, and its blobsBundle verifies with
 * c-kzg against the versioned hashes; after the payload is imported the sidecar leaves the pool.
 * Bad sidecars (wrong proof, count mismatch, wrong commitment, none at all) are JSON-RPC errors
 * that say why.
 */
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { verifyBlobKzgProofBatch } from '../../src/crypto/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { sampleBlobTx } from '../../src/txpool/index.ts'
import { encodeBlobTransactionNetwork, encodeTransaction, kzgToVersionedHash, type BlobTransactionNetwork } from '../../src/types/index.ts'
import { CHAIN_ID, cancunGenesis, fcState, FUNDED_KEY, hex, useEngineNode } from '../engine/helpers.ts'

// the first blob call loads c-kzg and its trusted setup (about 2 s, more on a loaded machine), here and in the node
setDefaultTimeout(30_000)
const env = useEngineNode('mosaic-blobpool-', cancunGenesis(), new Uint8Array(32).fill(0x5a))

const send = (raw: Uint8Array) => env.node.rpc<Hex>('eth_sendRawTransaction', [bytesToHex(raw)])
const blobTx = (nonce: bigint, seeds: number[]) => sampleBlobTx({ chainId: CHAIN_ID, nonce, key: FUNDED_KEY, seeds })

describe('blob transactions through the RPC, the pool and the Engine API', () => {
  const good = blobTx(0n, [11, 12])
  const versioned = good.network.tx.blobVersionedHashes.map(bytesToHex)

  test('bad sidecars are refused with the reason', async () => {
    const s = good.network
    const variants: [string, BlobTransactionNetwork, string][] = [
      ['wrong proof', { ...s, proofs: [s.proofs[1]!, s.proofs[0]!] }, 'invalid blob transaction: invalid blob proof (wrapper version 0)'],
      ['count mismatch', { ...s, blobs: [s.blobs[0]!] }, 'invalid blob transaction: 1 blobs for 2 versioned hashes'],
      ['wrong commitment', { ...s, commitments: [s.commitments[1]!, s.commitments[0]!] }, 'invalid blob transaction: commitment 0 does not match versioned hash 0'],
      ['cell proofs before Osaka', { ...s, wrapperVersion: 1 }, 'invalid blob transaction: unexpected sidecar version, want: 0, got: 1'],
    ]
    for (const [what, sidecar, message] of variants) {
      const r = await send(encodeBlobTransactionNetwork(sidecar))
      expect([what, r.error?.code, r.error?.message]).toEqual([what, -32000, message])
    }
    // the canonical form, without a sidecar
    const plain = await send(encodeTransaction(s.tx))
    expect(plain.error?.message).toStartWith('invalid blob transaction: missing sidecar in blob transaction')
    // a truncated network form is a decoding error, not a "missing sidecar"
    const cut = await send(encodeBlobTransactionNetwork(s).subarray(0, 1000))
    expect(cut.error?.message).toStartWith('transaction decoding failed')
    expect((await env.node.rpc<{ pending: Hex }>('txpool_status')).result?.pending).toBe('0x0')
    // nothing of it reached the blob pool
    expect(await env.engine.call('engine_getBlobsV1', [versioned])).toEqual([null, null])
  })

  test('engine_getBlobsV1 answers the sent blobs by versioned hash', async () => {
    const r = await send(good.raw)
    expect(r.error).toBeUndefined()
    const unknown = `0x01${'77'.repeat(31)}`
    const got = await env.engine.call<({ blob: Hex; proof: Hex } | null)[]>('engine_getBlobsV1', [[versioned[1], unknown, versioned[0]]])
    expect(got[1]).toBeNull()
    expect(got[0]).toEqual({ blob: bytesToHex(good.network.blobs[1]!), proof: bytesToHex(good.network.proofs[1]!) })
    expect(got[2]).toEqual({ blob: bytesToHex(good.network.blobs[0]!), proof: bytesToHex(good.network.proofs[0]!) })
  })

  test('getPayloadV3 carries the blob transaction and a blobsBundle that verifies with c-kzg', async () => {
    const genesis = (await env.node.rpc<{ hash: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['0x0', false])).result!
    const attrs = { timestamp: hex(BigInt(genesis.timestamp) + 12n), prevRandao: `0x${'02'.repeat(32)}`, suggestedFeeRecipient: `0x${'fe'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: `0x${'be'.repeat(32)}` }
    const fcu = await env.engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(genesis.hash), attrs])
    const out = await env.engine.call<{ executionPayload: { transactions: Hex[]; blobGasUsed: Hex; blockHash: Hex }; blobsBundle: { commitments: Hex[]; proofs: Hex[]; blobs: Hex[] } }>('engine_getPayloadV3', [fcu.payloadId])
    const { executionPayload: p, blobsBundle: b } = out
    expect(p.transactions).toHaveLength(1)
    expect(p.blobGasUsed).toBe(hex(2n * 131072n))
    expect(b.blobs).toEqual(good.network.blobs.map(bytesToHex))
    expect(b.commitments.map((c) => bytesToHex(kzgToVersionedHash(hexToBytes(c))))).toEqual(versioned)
    expect(verifyBlobKzgProofBatch(b.blobs.map(hexToBytes), b.commitments.map(hexToBytes), b.proofs.map(hexToBytes))).toBe(true)
    // a tampered bundle does not verify: the check above could fail
    expect(verifyBlobKzgProofBatch(b.blobs.map(hexToBytes), b.commitments.map(hexToBytes), [...b.proofs].reverse().map(hexToBytes))).toBe(false)

    // imported and made head: the transaction is mined and its sidecar leaves the pool
    const st = await env.engine.call<{ status: string }>('engine_newPayloadV3', [p, versioned, attrs.parentBeaconBlockRoot])
    expect(st.status).toBe('VALID')
    await env.engine.call('engine_forkchoiceUpdatedV3', [fcState(p.blockHash), null])
    expect(await env.engine.call('engine_getBlobsV1', [versioned])).toEqual([null, null])
  })
})
