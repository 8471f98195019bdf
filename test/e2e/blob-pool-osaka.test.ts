/**
 * The blob pool on an Osaka chain, end to end: `bin/mosaic --chain genesis.json` (Prague and
 * Osaka at genesis) with the Engine API. Osaka's sidecars carry cell proofs (EIP-7594 wrapper
 * version 1): a version-0 sidecar is refused with the version it should have; a version-1 one is
 * admitted; engine_getBlobsV2 answers its blob with 128 cell proofs (getBlobsV1 is -38005);
 * forkchoiceUpdatedV3 + getPayloadV5 build it with a V2 blobsBundle that verifies with c-kzg's
 * cell check; getPayloadV4 of the same build is -38005; newPayloadV4 of it is VALID.
 */
import { expect, setDefaultTimeout, test } from 'bun:test'
import { computeCells, verifyCellKzgProofBatch } from '../../src/crypto/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../../src/primitives/index.ts'
import { sampleBlobTx } from '../../src/txpool/index.ts'
import { CHAIN_ID, fcState, FUNDED_KEY, hex, useEngineNode } from '../engine/helpers.ts'
import { genesis } from '../engine-cli/nodes.ts'

const CELLS_PER_BLOB = 128
// the first blob call loads c-kzg and its trusted setup (about 2 s, more on a loaded machine), here and in the node
setDefaultTimeout(30_000)
const env = useEngineNode('mosaic-blobpool-osaka-', genesis({ pragueTime: 0, osakaTime: 0 }), new Uint8Array(32).fill(0x6b))

const send = (raw: Uint8Array) => env.node.rpc<Hex>('eth_sendRawTransaction', [bytesToHex(raw)])
const code = (p: Promise<unknown>) => p.then(() => undefined, (e: { rpcCode?: number }) => e.rpcCode)

test('Osaka: cell-proof sidecars through the RPC, getBlobsV2, getPayloadV5 and newPayloadV4', async () => {
  const v0 = sampleBlobTx({ chainId: CHAIN_ID, nonce: 0n, key: FUNDED_KEY, seeds: [21] })
  const refused = await send(v0.raw)
  expect(refused.error?.message).toBe('invalid blob transaction: unexpected sidecar version, want: 1, got: 0')

  const tx = sampleBlobTx({ chainId: CHAIN_ID, nonce: 0n, key: FUNDED_KEY, seeds: [21, 22], wrapperVersion: 1 })
  expect((await send(tx.raw)).error).toBeUndefined()
  const versioned = tx.network.tx.blobVersionedHashes.map(bytesToHex)

  const blobs = await env.engine.call<{ blob: Hex; proofs: Hex[] }[] | null>('engine_getBlobsV2', [versioned])
  expect(blobs).toHaveLength(2)
  expect(blobs![0]!.blob).toBe(bytesToHex(tx.network.blobs[0]!))
  expect(blobs![1]!.proofs).toEqual(tx.network.proofs.slice(CELLS_PER_BLOB).map(bytesToHex))
  expect(await env.engine.call('engine_getBlobsV2', [[versioned[0], `0x01${'77'.repeat(31)}`]])).toBeNull() // all or nothing
  expect(await code(env.engine.call('engine_getBlobsV1', [versioned]))).toBe(-38005)

  const g = (await env.node.rpc<{ hash: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['0x0', false])).result!
  const attrs = { timestamp: hex(BigInt(g.timestamp) + 12n), prevRandao: `0x${'03'.repeat(32)}`, suggestedFeeRecipient: `0x${'fe'.repeat(20)}`, withdrawals: [], parentBeaconBlockRoot: `0x${'be'.repeat(32)}` }
  const { payloadId } = await env.engine.call<{ payloadId: Hex }>('engine_forkchoiceUpdatedV3', [fcState(g.hash), attrs])
  expect(await code(env.engine.call('engine_getPayloadV4', [payloadId]))).toBe(-38005)
  const out = await env.engine.call<{ executionPayload: { transactions: Hex[]; blockHash: Hex }; blobsBundle: { commitments: Hex[]; proofs: Hex[]; blobs: Hex[] }; executionRequests: Hex[] }>('engine_getPayloadV5', [payloadId])
  const { executionPayload: p, blobsBundle: b } = out
  expect(p.transactions).toHaveLength(1)
  expect(b.blobs).toEqual(tx.network.blobs.map(bytesToHex))
  expect(b.proofs).toHaveLength(2 * CELLS_PER_BLOB)
  // every cell of every blob against its commitment
  const cells = b.blobs.flatMap((blob) => computeCells(hexToBytes(blob)))
  const commitments = b.blobs.flatMap((_, i) => Array<Uint8Array>(CELLS_PER_BLOB).fill(hexToBytes(b.commitments[i]!)))
  const indices = b.blobs.flatMap(() => [...Array(CELLS_PER_BLOB).keys()])
  expect(verifyCellKzgProofBatch(commitments, indices, cells, b.proofs.map(hexToBytes))).toBe(true)
  expect(verifyCellKzgProofBatch(commitments, indices, cells, [...b.proofs].reverse().map(hexToBytes))).toBe(false)

  const st = await env.engine.call<{ status: string }>('engine_newPayloadV4', [p, versioned, attrs.parentBeaconBlockRoot, out.executionRequests])
  expect(st.status).toBe('VALID')
  await env.engine.call('engine_forkchoiceUpdatedV3', [fcState(p.blockHash), null])
  expect(await env.engine.call('engine_getBlobsV2', [versioned])).toBeNull() // mined: the sidecar left the pool
}, 60_000)
