import { describe, expect, test } from 'bun:test'
import { bigintToWord, bytesToHex, type Hash, type RlpItem } from '../../primitives/index.ts'
import { encodeTransaction, signTransaction, transactionHash, type Transaction } from '../../types/index.ts'
import type { P2pError } from '../errors.ts'
import { createTxFetcher, type FetchPeer, type TxFetcherOptions } from './fetcher.ts'
import { decodeWireTransaction, wireItem, type WireTransaction } from './wire.ts'

const TO = new Uint8Array(20).fill(0x44)

function tx(nonce: bigint, type: 0 | 2 = 2): Transaction {
  const key = bigintToWord(0x3000n)
  if (type === 0) return signTransaction({ type: 0, chainId: 1n, nonce, gasPrice: 10n ** 9n, gasLimit: 21_000n, to: TO, value: 1n, data: new Uint8Array(0) }, key)
  return signTransaction({ type: 2, chainId: 1n, nonce, maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 9n, gasLimit: 21_000n, to: TO, value: 1n, data: new Uint8Array(0), accessList: [] }, key)
}
const item = (t: Transaction): RlpItem => wireItem({ tx: t, raw: encodeTransaction(t) })
const sizeOf = (t: Transaction) => encodeTransaction(t).length

interface FakePeer extends FetchPeer {
  asked: Hash[][]
  dropped: P2pError[]
  /** What the peer answers to a request. */
  answer: (hashes: Hash[]) => RlpItem[] | Promise<RlpItem[]>
}

function peer(key: string, have: Transaction[]): FakePeer {
  const byHash = new Map(have.map((t) => [bytesToHex(transactionHash(t)), t]))
  const p: FakePeer = {
    key,
    asked: [],
    dropped: [],
    answer: (hashes) => hashes.flatMap((h) => (byHash.has(bytesToHex(h)) ? [item(byHash.get(bytesToHex(h))!)] : [])),
    request: async (hashes) => {
      p.asked.push(hashes)
      return p.answer(hashes)
    },
    drop: (e) => void p.dropped.push(e),
  }
  return p
}

function setup(extra: Partial<TxFetcherOptions> = {}, known = new Set<string>()) {
  const delivered: { peer: string; txs: WireTransaction[] }[] = []
  const fetcher = createTxFetcher({ gatherMs: 5, known: (_h, hex) => known.has(hex), deliver: (p, txs) => void delivered.push({ peer: p.key, txs }), ...extra })
  return { fetcher, delivered, known }
}

const announce = (f: ReturnType<typeof setup>['fetcher'], p: FetchPeer, txs: Transaction[], over: { types?: number[]; sizes?: number[] } = {}) =>
  f.announced(p, Uint8Array.from(over.types ?? txs.map((t) => t.type)), over.sizes ?? txs.map(sizeOf), txs.map(transactionHash))

async function until(cond: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await Bun.sleep(2)
  return cond()
}

describe('tx fetcher', () => {
  test('requests unknown announced hashes after the gather delay and delivers them verified', async () => {
    const txs = [tx(0n), tx(1n, 0), tx(2n)]
    const { fetcher, delivered, known } = setup()
    known.add(bytesToHex(transactionHash(txs[2]!)))
    const p = peer('a', txs)
    announce(fetcher, p, txs)
    expect(p.asked).toHaveLength(0) // waits for a direct broadcast first
    expect(await until(() => delivered.length === 1)).toBe(true)
    expect(p.asked).toHaveLength(1)
    expect(p.asked[0]!.map(bytesToHex)).toEqual(txs.slice(0, 2).map((t) => bytesToHex(transactionHash(t))))
    expect(delivered[0]!.txs.map((w) => w.tx.nonce)).toEqual([0n, 1n])
    expect(fetcher.wanted).toBe(0)
    expect(p.dropped).toHaveLength(0)
    fetcher.stop()
  })

  test('a response of another type or size than announced drops the peer', async () => {
    const t = tx(0n)
    for (const over of [{ types: [1] }, { sizes: [sizeOf(t) + 100] }]) {
      const { fetcher, delivered } = setup()
      const p = peer('a', [t])
      announce(fetcher, p, [t], over)
      expect(await until(() => p.dropped.length === 1)).toBe(true)
      expect(p.dropped[0]!.code).toBe('PROTOCOL')
      expect(delivered).toHaveLength(0)
      await Bun.sleep(20) // a dropped peer is asked nothing more
      expect(p.asked).toHaveLength(1)
      expect(fetcher.outstanding('a')).toBe(0)
      fetcher.stop()
    }
  })

  test('a size within the slack is accepted (geth allows a few bytes)', async () => {
    const t = tx(0n)
    const { fetcher, delivered } = setup()
    const p = peer('a', [t])
    announce(fetcher, p, [t], { sizes: [sizeOf(t) + 3] })
    expect(await until(() => delivered.length === 1)).toBe(true)
    expect(p.dropped).toHaveLength(0)
    fetcher.stop()
  })

  test('unrequested, duplicated or undecodable transactions drop the peer', async () => {
    const [a, b] = [tx(0n), tx(1n)]
    const answers: ((hs: Hash[]) => RlpItem[])[] = [
      () => [item(b)], // not requested
      () => [item(a), item(a)], // twice
      () => [new Uint8Array([2, 0xc0])], // not a transaction
    ]
    for (const answer of answers) {
      const { fetcher, delivered } = setup()
      const p = peer('a', [a])
      p.answer = answer
      announce(fetcher, p, [a])
      expect(await until(() => p.dropped.length === 1)).toBe(true)
      expect(delivered).toHaveLength(0)
      fetcher.stop()
    }
  })

  test('hashes a peer did not deliver are fetched from another announcer', async () => {
    const t = tx(0n)
    const { fetcher, delivered } = setup()
    const empty = peer('a', [])
    const full = peer('b', [t])
    announce(fetcher, empty, [t])
    announce(fetcher, full, [t])
    expect(await until(() => delivered.length === 1)).toBe(true)
    expect([empty.asked.length, full.asked.length]).toEqual([1, 1])
    expect(delivered[0]!.peer).toBe('b')
    expect(fetcher.wanted).toBe(0)
    fetcher.stop()
  })

  test('a direct arrival cancels the fetch; a failed request leaves the hash to others', async () => {
    const t = tx(0n)
    const { fetcher } = setup({ gatherMs: 30 })
    const p = peer('a', [t])
    announce(fetcher, p, [t])
    fetcher.arrived(bytesToHex(transactionHash(t)))
    await Bun.sleep(60)
    expect(p.asked).toHaveLength(0)
    const failing = peer('c', [t])
    failing.request = async () => Promise.reject(new Error('timeout'))
    announce(fetcher, failing, [t])
    expect(await until(() => fetcher.wanted === 0)).toBe(true)
    expect(fetcher.outstanding('c')).toBe(0)
    fetcher.stop()
  })

  test('limits: outstanding announcements per peer, hashes per request, one request in flight', async () => {
    const txs = Array.from({ length: 10 }, (_, i) => tx(BigInt(i)))
    const { fetcher, delivered } = setup({ maxAnnounces: 6, maxBatch: 4 })
    const p = peer('a', txs)
    let inFlight = 0
    let most = 0
    const answer = p.answer
    p.answer = async (hs) => {
      most = Math.max(most, ++inFlight)
      await Bun.sleep(5)
      inFlight--
      return answer(hs)
    }
    announce(fetcher, p, txs)
    expect(fetcher.outstanding('a')).toBe(6)
    expect(await until(() => delivered.flatMap((d) => d.txs).length === 6)).toBe(true)
    expect(p.asked.map((h) => h.length)).toEqual([4, 2])
    expect(most).toBe(1)
    fetcher.stop()
  })
})

describe('wire transactions', () => {
  test('legacy as a list, typed as bytes; sizes are the encodings', () => {
    for (const t of [tx(0n, 0), tx(1n)]) {
      const w = decodeWireTransaction(item(t))
      expect(bytesToHex(w.hash)).toBe(bytesToHex(transactionHash(t)))
      expect(w.size).toBe(sizeOf(t))
    }
    expect(Array.isArray(item(tx(0n, 0)))).toBe(true)
    expect(() => decodeWireTransaction(new Uint8Array([9, 1, 2]))).toThrow(expect.objectContaining({ code: 'MESSAGE_INVALID' }))
  })
})
