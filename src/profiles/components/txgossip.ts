/**
 * The `txgossip` component: runs the eth protocol on every p2p peer with the chain's head as our
 * Status (the genesis, for the txpool profile) and gossips transactions between the peers and
 * the pool (src/p2p/txs: fetch announced ones, add received ones, broadcast the pool's new ones —
 * those sent over RPC included).
 */
import { defineComponent, type Logger } from '../../node/index.ts'
import { chainStatus, forkScheduleOf, startTxGossip, type TxGossip, type TxGossipOptions } from '../../p2p/index.ts'
import { headerHash } from '../../types/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    txgossip: TxGossip
  }
}

export interface TxGossipConfig {
  eth?: TxGossipOptions['eth']
  fetcher?: TxGossipOptions['fetcher']
  log?: Logger
}

export const txGossipComponent = defineComponent({
  provides: 'txgossip',
  requires: ['p2p', 'txpool', 'chain'],
  description: 'eth protocol on each peer; transaction announcements, fetching and broadcast to and from the pool',
  create({ p2p, txpool, chain }, config) {
    const c = config as TxGossipConfig
    const head = chain.head()
    const hash = headerHash(head)
    const genesisHash = chain.canonicalHash(0n)!
    const gossip = startTxGossip({
      peers: p2p.peers,
      pool: txpool,
      status: (v) => chainStatus(chain.spec, genesisHash, { number: head.number, time: head.timestamp, hash, td: head.difficulty }, v),
      schedule: forkScheduleOf(chain.spec, genesisHash),
      head: { number: head.number, time: head.timestamp },
      eth: c.eth,
      fetcher: c.fetcher,
      log: c.log ? (msg, fields) => c.log!.debug(msg, fields) : undefined,
    })
    const n = p2p.localNode()
    c.log?.info('Started P2P networking', { enode: n.enode, discovery: p2p.config.discovery.v4 || p2p.config.discovery.v5 ? n.udpPort : 'off' })
    return { service: gossip, stop: () => gossip.stop() }
  },
})
