/**
 * Misbehaving eth peers built from the p2p library, in the test process: a peer manager whose
 * sessions run the eth Status exchange over an in-memory copy of the chain and then answer
 * requests wrongly, by `mode`:
 *
 * - `wrong-bodies`: the right headers, but for every block the body of the next one;
 * - `bad-headers`: header batches with one header in the middle forged (they do not chain);
 * - `stall`: Status, then never an answer;
 * - `empty`: claims the whole chain (eth/69 range) but answers every request empty.
 *
 * And an honest peer (`startServingPeer`, the eth service itself) over any chain source, such
 * as `forgedChain`: a chain whose block k has a wrong state root, the blocks above relinked to
 * it, so that it downloads cleanly and fails import at k.
 */
import type { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import {
  ETH68,
  ETH69,
  chainStatus,
  forkScheduleOf,
  publicKeyOf,
  randomPrivateKey,
  serveHeaders,
  startEth,
  startEthService,
  startPeerManager,
  statusHeadOf,
  type EthChainSource,
} from '../../src/p2p/internals.ts'
import { bytesToHex, decodeRlp, encodeRlp, type Hash } from '../../src/primitives/index.ts'
import { decodeHeader, encodeBlockBody, encodeHeader, headerHash, type Header } from '../../src/types/index.ts'

export type FakeMode = 'wrong-bodies' | 'bad-headers' | 'stall' | 'empty'

export interface FakePeer {
  enode: string
  /** Requests it was sent. */
  requests: number
  close(): Promise<void>
}

const listen = async (clientId: string) => {
  const key = randomPrivateKey()
  const pm = await startPeerManager({ privateKey: key, clientId, capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, port: 0 })
  return { pm, enode: `enode://${bytesToHex(publicKeyOf(key)).slice(2)}@127.0.0.1:${pm.port}` }
}

/** A forged chain: `source`'s blocks, block `bad` with a wrong state root and every later one relinked onto it. */
export interface ForgedChain extends EthChainSource {
  hashAt(n: bigint): Hash
}

export function forgedChain(source: Blockchain, bad: bigint): ForgedChain {
  const headers: Header[] = []
  const byHash = new Map<string, Header>()
  for (let n = 0n; n <= source.head().number; n++) {
    let h = source.headerByNumber(n)!
    if (n >= bad) h = { ...h, parentHash: headerHash(headers[Number(n) - 1]!), stateRoot: n === bad ? new Uint8Array(32).fill(0xbd) : h.stateRoot }
    headers.push(h)
    byHash.set(bytesToHex(headerHash(h)), h)
  }
  const bodyOf = (h: Header | undefined) => {
    const b = h && source.blockByHash(source.canonicalHash(h.number)!)
    return b && { transactions: b.transactions, ommers: b.ommers, withdrawals: b.withdrawals }
  }
  return {
    head: () => headers[headers.length - 1]!,
    headerByNumber: (n) => headers[Number(n)],
    headerByHash: (hash) => byHash.get(bytesToHex(hash)),
    canonicalHash: (n) => (headers[Number(n)] ? headerHash(headers[Number(n)]!) : undefined),
    hashAt: (n) => headerHash(headers[Number(n)]!),
    blockByHash: (hash) => bodyOf(byHash.get(bytesToHex(hash))),
    receipts: (hash) => {
      const h = byHash.get(bytesToHex(hash))
      return h && h.number < bad ? source.receipts(hash) : undefined
    },
    onHead: () => () => {},
  }
}

/** An honest eth peer (the eth service) serving `chain`. */
export async function startServingPeer(chain: EthChainSource, clientId = 'fake/serving'): Promise<Omit<FakePeer, 'requests'>> {
  const { pm, enode } = await listen(clientId)
  const eth = startEthService({ peers: pm, chain, spec: dev })
  return {
    enode,
    async close() {
      eth.stop()
      await pm.close()
    },
  }
}

export async function startFakePeer(chain: Blockchain, mode: FakeMode): Promise<FakePeer> {
  const { pm, enode } = await listen(`fake/${mode}`)
  const source = chain as unknown as EthChainSource
  const genesis = chain.canonicalHash(0n)!
  const fake: FakePeer = {
    enode,
    requests: 0,
    async close() {
      await pm.close()
    },
  }
  pm.onPeer((session) => {
    const version = session.capability('eth')?.version === 68 ? 68 : 69
    const head = chain.head()
    startEth(session, { status: chainStatus(dev, genesis, statusHeadOf(dev, head), version), schedule: forkScheduleOf(dev, genesis), head: { number: head.number, time: head.timestamp } }).then(
      (ep) =>
        ep.onMessage((m) => {
          if (m.kind !== 'GetBlockHeaders' && m.kind !== 'GetBlockBodies' && m.kind !== 'GetReceipts') return
          fake.requests++
          if (mode === 'stall') return
          if (mode === 'empty') {
            if (m.kind === 'GetBlockHeaders') ep.send({ kind: 'BlockHeaders', requestId: m.requestId, headers: [] })
            else if (m.kind === 'GetBlockBodies') ep.send({ kind: 'BlockBodies', requestId: m.requestId, bodies: [] })
            else ep.send({ kind: 'Receipts', requestId: m.requestId, receipts: [] })
            return
          }
          if (m.kind === 'GetBlockHeaders') {
            const headers = serveHeaders(source, m)
            if (mode === 'bad-headers' && headers.length > 2) {
              const i = Math.floor(headers.length / 2)
              const h = decodeHeader(encodeRlp(headers[i]!))
              headers[i] = decodeRlp(encodeHeader({ ...h, extraData: new Uint8Array([0xba, 0xd0]) }))
            }
            ep.send({ kind: 'BlockHeaders', requestId: m.requestId, headers })
          } else if (m.kind === 'GetBlockBodies') {
            const bodies = m.hashes.flatMap((h) => {
              const header = chain.headerByHash(h)
              if (!header) return []
              const other = header.number === chain.head().number ? 1n : header.number + 1n
              return [decodeRlp(encodeBlockBody(chain.blockByHash(chain.canonicalHash(other)!)!))]
            })
            ep.send({ kind: 'BlockBodies', requestId: m.requestId, bodies })
          } else ep.send({ kind: 'Receipts', requestId: m.requestId, receipts: [] })
        }),
      () => {},
    )
  })
  return fake
}
