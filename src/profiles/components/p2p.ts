/**
 * The p2p component: provides the `p2p` service (peer manager + discovery) from the `p2p` config
 * section, `{ config: P2pConfig, clientId?, ...P2pServiceOptions }`. The node key comes from
 * `config.nodeKey` (read, or generated under the data dir) when no `privateKey` is given.
 */
import { NodeBuildError, defineComponent } from '../../node/index.ts'
import { createP2pService, loadNodeKey, type P2pConfig, type P2pService, type P2pServiceOptions } from '../../p2p/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    p2p: P2pService
  }
}

export type P2pComponentConfig = Omit<P2pServiceOptions, 'privateKey'> & { privateKey?: Uint8Array }

function isP2pConfig(c: unknown): c is P2pConfig {
  const x = c as Partial<P2pConfig> | undefined
  return !!x && typeof x.port === 'number' && typeof x.maxPeers === 'number' && Array.isArray(x.bootnodes) && typeof x.discovery === 'object' && !!x.nodeKey
}

export const p2pComponent = defineComponent({
  provides: 'p2p',
  requires: [],
  description: 'devp2p: RLPx peers, eth/68-69, discv4/discv5 discovery',
  create(_deps, section) {
    const s = section as Partial<P2pComponentConfig>
    if (!isP2pConfig(s.config)) throw new NodeBuildError('the p2p component needs `config`, a P2pConfig from parseP2pConfig')
    const service = createP2pService({ ...s, config: s.config, privateKey: s.privateKey ?? loadNodeKey(s.config.nodeKey) })
    return { service, start: () => service.start(), stop: () => service.stop() }
  },
})
