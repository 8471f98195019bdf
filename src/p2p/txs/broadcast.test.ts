import { describe, expect, test } from 'bun:test'
import { bigintToWord, bytesToHex } from '../../primitives/index.ts'
import { encodeTransaction, signTransaction, transactionHash, type Transaction } from '../../types/index.ts'
import { privateKeyToAddress } from '../../crypto/index.ts'
import type { EthMessage } from '../eth/messages.ts'
import { createTxBroadcaster, type BroadcastTx } from './broadcast.ts'

const key = (i: number) => bigintToWord(BigInt(i) + 0x4000n)

function pooled(k: number, nonce: bigint, dataBytes = 0): BroadcastTx {
  const tx: Transaction = signTransaction(
    { type: 2, chainId: 1n, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 9n, gasLimit: 1_000_000n, to: new Uint8Array(20), value: 0n, data: new Uint8Array(dataBytes), accessList: [] },
    key(k),
  )
  const raw = encodeTransaction(tx)
  return { tx, raw, hash: transactionHash(tx), sender: privateKeyToAddress(key(k)), size: raw.length }
}

function peers(n: number) {
  const sent = new Map<string, EthMessage[]>()
  const b = createTxBroadcaster()
  for (let i = 0; i < n; i++) {
    const k = `p${i}`
    sent.set(k, [])
    b.addPeer({ key: k, send: (m) => (sent.get(k)!.push(m), true) })
  }
  return { b, sent }
}

const full = (ms: EthMessage[]) => ms.flatMap((m) => (m.kind === 'Transactions' ? m.transactions : []))
const announced = (ms: EthMessage[]) => ms.flatMap((m) => (m.kind === 'NewPooledTransactionHashes' ? m.hashes.map(bytesToHex) : []))

describe('tx broadcaster', () => {
  test('full transactions to √peers, announcements (type, size, hash) to the rest, once per peer', async () => {
    const { b, sent } = peers(9)
    const t = pooled(1, 0n)
    b.broadcast([t])
    await Bun.sleep(1)
    const all = [...sent.values()]
    expect(all.filter((ms) => full(ms).length === 1)).toHaveLength(3)
    expect(all.filter((ms) => announced(ms).length === 1)).toHaveLength(6)
    const ann = all.flatMap((ms) => ms).find((m) => m.kind === 'NewPooledTransactionHashes') as Extract<EthMessage, { kind: 'NewPooledTransactionHashes' }>
    expect([...ann.types]).toEqual([2])
    expect(ann.sizes).toEqual([t.size])
    b.broadcast([t])
    await Bun.sleep(1)
    expect(all.flat()).toHaveLength(9) // every peer knows it now
    b.stop()
  })

  test('peers that know a transaction get nothing; one sender takes the same direct peers', async () => {
    const { b, sent } = peers(4)
    const t0 = pooled(1, 0n)
    const t1 = pooled(1, 1n)
    b.markKnown('p0', bytesToHex(t0.hash))
    b.markKnown('p0', bytesToHex(t1.hash))
    b.broadcast([t0])
    await Bun.sleep(1)
    expect(sent.get('p0')).toHaveLength(0)
    const directOf = () => [...sent.entries()].filter(([, ms]) => full(ms).length > 0).map(([k]) => k)
    const first = directOf()
    expect(first).toHaveLength(2) // floor(√4)
    for (const ms of sent.values()) ms.length = 0
    b.broadcast([t1])
    await Bun.sleep(1)
    expect(directOf()).toEqual(first)
    b.stop()
  })

  test('large transactions are only announced; announceTo sends a new peer the pool', async () => {
    const { b, sent } = peers(1)
    const big = pooled(2, 0n, 5000)
    b.broadcast([big])
    await Bun.sleep(1)
    expect(full(sent.get('p0')!)).toHaveLength(0)
    expect(announced(sent.get('p0')!)).toEqual([bytesToHex(big.hash)])
    const other = pooled(3, 0n)
    b.announceTo('p0', [big, other])
    expect(announced(sent.get('p0')!)).toEqual([bytesToHex(big.hash), bytesToHex(other.hash)])
    b.stop()
  })
})
