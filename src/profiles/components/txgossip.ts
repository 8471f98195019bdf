/**
 * The `txgossip` component: transaction gossip between the eth peers and the pool, as a
 * subscriber of the `eth` service (src/p2p/txs: fetch announced transactions, add received ones,
 * broadcast the pool's new ones — those sent over RPC included).
 */
import { defineComponent, type Logger } from '../../node/index.ts'
import { startTxGossip, type TxGossip, type TxGossipOptions } from '../../p2p/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    txgossip: TxGossip
  }
}

export interface TxGossipConfig {
  fetcher?: TxGossipOptions['fetcher']
  log?: Logger
}

export const txGossipComponent = defineComponent({
  provides: 'txgossip',
  requires: ['eth', 'txpool'],
  description: 'transaction announcements, fetching and broadcast between the eth peers and the pool',
  create({ eth, txpool }, config) {
    const c = config as TxGossipConfig
    const gossip = startTxGossip({
      eth,
      pool: txpool,
      fetcher: c.fetcher,
      log: c.log ? (msg, fields) => c.log!.debug(msg, fields) : undefined,
    })
    return { service: gossip, stop: () => gossip.stop() }
  },
})
