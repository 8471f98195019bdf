/**
 * A misbehaving eth peer built from the p2p library, in the test process: a peer manager and
 * the eth service over an in-memory copy of the chain that serves the right headers but, for
 * every block, the body of the next one (bodies that match no header asked for), or never
 * answers body requests at all (`stall`).
 */
import type { Blockchain } from '../../src/blockchain/index.ts'
import { dev } from '../../src/chainspec/index.ts'
import { ETH68, ETH69, publicKeyOf, randomPrivateKey, startEthService, startPeerManager, type EthChainSource } from '../../src/p2p/internals.ts'
import { bytesToHex } from '../../src/primitives/index.ts'

export interface FakePeer {
  enode: string
  close(): Promise<void>
}

export async function startFakePeer(chain: Blockchain, mode: 'wrong-bodies'): Promise<FakePeer> {
  const key = randomPrivateKey()
  const pm = await startPeerManager({ privateKey: key, clientId: 'fake/wrong-bodies', capabilities: [ETH68, ETH69], listenPort: 0, pingIntervalMs: 0, maxPeers: 5, port: 0 })
  const source: EthChainSource = {
    head: () => chain.head(),
    headerByNumber: (n) => chain.headerByNumber(n),
    headerByHash: (h) => chain.headerByHash(h),
    canonicalHash: (n) => chain.canonicalHash(n),
    blockByHash(h) {
      const header = chain.headerByHash(h)
      if (!header || mode !== 'wrong-bodies') return undefined
      const other = chain.headerByNumber(header.number === chain.head().number ? 1n : header.number + 1n)!
      return chain.blockByHash(chain.canonicalHash(other.number)!)
    },
    receipts: (h) => chain.receipts(h),
    onHead: (l) => chain.onHead(l),
  }
  const eth = startEthService({ peers: pm, chain: source, spec: dev })
  return {
    enode: `enode://${bytesToHex(publicKeyOf(key)).slice(2)}@127.0.0.1:${pm.port}`,
    async close() {
      eth.stop()
      await pm.close()
    },
  }
}
