/**
 * The p2p component: provides the `p2p` service (peer manager + discovery) from its
 * configuration, `{ config: P2pConfig, clientId?, ...P2pServiceOptions }`, made from the p2p flags. The node key comes from
 * `config.nodeKey` (read, or generated under the data dir) when no `privateKey` is given.
 */
import { NodeBuildError, defineComponent, type ConfigSections, type ConfigureContext } from '../../node/index.ts'
import { computeForkId, forkScheduleOf } from '../../chainspec/index.ts'
import { createP2pService, ethEnrEntry, loadNodeKey, type P2pConfig, type P2pService, type P2pServiceOptions } from '../../p2p/index.ts'
import { headerHash } from '../../types/index.ts'
import { p2pConfigFrom, p2pOptions } from './p2p-options.ts'

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

/**
 * The p2p flags as a P2pConfig (bootnodes default to the chain's, the node key lives in the data
 * directory), the node key read (or created) now so that a bad --nodekey fails before anything
 * starts, and the ENR's `eth` entry at the genesis fork id (EIP-2124).
 */
function configureP2p(s: ConfigSections, ctx: ConfigureContext): P2pComponentConfig {
  const spec = ctx.spec()
  const config = p2pConfigFrom(s.p2p, { dataDir: ctx.datadir(), chainBootnodes: spec.bootnodes })
  const genesis = ctx.genesis()
  const forkId = computeForkId(forkScheduleOf(spec, headerHash(genesis)), { number: 0n, time: genesis.timestamp })
  return { config, privateKey: loadNodeKey(config.nodeKey), enrEntries: { eth: ethEnrEntry(forkId) } }
}

export const p2pComponent = defineComponent({
  provides: 'p2p',
  requires: [],
  description: 'devp2p: RLPx peers, eth/68-69, discv4/discv5 discovery',
  options: p2pOptions,
  configure: configureP2p,
  create(_deps, s: Partial<P2pComponentConfig>) {
    if (!isP2pConfig(s.config)) throw new NodeBuildError('the p2p component needs `config`, a P2pConfig from parseP2pConfig')
    const service = createP2pService({ ...s, config: s.config, privateKey: s.privateKey ?? loadNodeKey(s.config.nodeKey) })
    return { service, start: () => service.start(), stop: () => service.stop() }
  },
})
