/**
 * The `eth` component: the eth/68-69 protocol on every p2p peer (src/p2p/eth/service.ts). Our
 * Status follows the chain's head; headers, bodies and receipts are served from the chain; the
 * peers past Status, their messages and their joining and leaving are there for subscribers
 * (transaction gossip, the coming sync).
 */
import { defineComponent, type Logger } from '../../node/index.ts'
import { startEthService, type EthService, type EthServiceOptions } from '../../p2p/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    eth: EthService
  }
}

export type EthComponentConfig = Pick<EthServiceOptions, 'handler' | 'serve' | 'blockRangeInterval'> & { log?: Logger }

export const ethComponent = defineComponent({
  provides: 'eth',
  requires: ['p2p', 'chain'],
  description: 'eth/68-69 on each peer: Status following the head, the peer set, serving headers, bodies and receipts',
  create({ p2p, chain }, config) {
    const { log, ...settings } = config as EthComponentConfig
    const eth = startEthService({ ...settings, peers: p2p.peers, chain, spec: chain.spec, log: log && ((msg, fields) => log.debug(msg, fields)) })
    const n = p2p.localNode()
    log?.info('Started P2P networking', { enode: n.enode, discovery: p2p.config.discovery.v4 || p2p.config.discovery.v5 ? n.udpPort : 'off' })
    return { service: eth, stop: () => eth.stop() }
  },
})
