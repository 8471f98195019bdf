/**
 * The `txpool` profile (`--txpool-only`): a mempool node for searchers, watchers and relays —
 * p2p (discovery and the eth protocol), a stateless transaction pool fed by transaction gossip,
 * and JSON-RPC (eth_sendRawTransaction, txpool_*, newPendingTransactions subscriptions with full
 * transactions, admin_*). No chain sync: the chain is the genesis only, in memory, and that is
 * the head our eth Status announces (its fork id is one synced peers accept). The node key
 * lives in --datadir (created on first start), as geth keeps it.
 */
import { genesisHeader } from '../chainspec/index.ts'
import { defaultDataDir, resolveChainSpec, type Logger, type OptionSpec, type ParsedConfig } from '../node/index.ts'
import { computeForkId, ethEnrEntry, forkScheduleOf, loadNodeKey } from '../p2p/index.ts'
import { headerHash } from '../types/index.ts'
import { ethComponent } from './components/eth.ts'
import { genesisChainComponent } from './components/genesis-chain.ts'
import { p2pComponent } from './components/p2p.ts'
import { p2pConfigFrom, p2pOptions } from './components/p2p-options.ts'
import { rpcOptions } from './components/rpc.ts'
import { parseDuration, statelessTxpoolComponent, statelessTxpoolOptions } from './components/stateless-txpool.ts'
import { txGossipComponent } from './components/txgossip.ts'
import { txpoolOptions } from './components/txpool.ts'
import { TXPOOL_RPC_APIS, txpoolRpcComponent } from './components/txpool-rpc.ts'
import type { Profile } from './profile.ts'

const options: OptionSpec[] = [
  { flag: 'chain', type: 'string', section: 'chain', key: 'chain', help: 'chain: mainnet (default), sepolia, hoodi, dev, a chain id, or a genesis.json path' },
  { flag: 'datadir', type: 'string', section: 'storage', key: 'datadir', help: 'data directory; holds the node key (default: $XDG_DATA_HOME/mosaic/<chain>)' },
  ...p2pOptions,
  ...txpoolOptions,
  ...statelessTxpoolOptions,
  // same rpc flags; the namespaces default to this profile's
  ...rpcOptions.map((o) => (o.flag === 'http.api' || o.flag === 'ws.api' ? { ...o, help: `${o.help.replace(/ \(default: all\)$/, '')} (default: ${TXPOOL_RPC_APIS.join(',')})` } : o)),
]

export const txpoolProfile: Profile = {
  name: 'txpool',
  summary: 'p2p (discovery, eth protocol), a stateless transaction pool and RPC for mempool watchers and searchers; no chain sync',
  shorthand: 'txpool-only',
  components: [p2pComponent, genesisChainComponent, statelessTxpoolComponent, ethComponent, txGossipComponent, txpoolRpcComponent],
  planned: ['state source'],
  options,
  configure(parsed: ParsedConfig, log: Logger) {
    const s = parsed.sections
    const datadirFlag = s.storage?.datadir as string | undefined
    const spec = resolveChainSpec(s.chain?.chain as string | undefined, datadirFlag, 'mainnet')
    const datadir = datadirFlag ?? defaultDataDir(spec.name)
    const config = p2pConfigFrom(s.p2p, { dataDir: datadir, chainBootnodes: spec.bootnodes })
    const { lifetime, ...pool } = s.txpool ?? {}
    const txpool = { ...pool, ...(lifetime !== undefined ? { lifetimeMs: parseDuration(String(lifetime), 'txpool.lifetime') } : {}) }
    const genesis = genesisHeader(spec)
    const genesisHash = headerHash(genesis)
    const forkId = computeForkId(forkScheduleOf(spec, genesisHash), { number: 0n, time: genesis.timestamp })
    return {
      // the key is read (or created) now, so that a bad --nodekey fails before anything starts
      p2p: { config, privateKey: loadNodeKey(config.nodeKey), enrEntries: { eth: ethEnrEntry(forkId) } },
      chain: { spec, genesisHeader: genesis, log: log.with({ component: 'chain' }) },
      txpool,
      eth: { log: log.with({ component: 'eth' }) },
      txgossip: { log: log.with({ component: 'txgossip' }) },
      rpc: { ...s.rpc, limits: s['rpc.limits'] ?? {}, log: log.with({ component: 'rpc' }) },
    }
  },
}
