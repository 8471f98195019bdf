/**
 * The `txpool` profile (`--txpool-only`): a mempool node for searchers, watchers and relays —
 * p2p (discovery and the eth protocol), a stateless transaction pool fed by transaction gossip,
 * and JSON-RPC (eth_sendRawTransaction, txpool_*, newPendingTransactions subscriptions with full
 * transactions, admin_*). No chain sync: the chain is the genesis only, in memory, and that is
 * the head our eth Status announces (its fork id is one synced peers accept). The node key
 * lives in --datadir (created on first start), as geth keeps it. With `--state.url` the pool is
 * stateful instead, validating against another node's head (./components/state-txpool.ts), and
 * eth_callBundle simulates on that head. With `--txpool.forward` the pooled transactions (and
 * eth_sendBundle) go on to another node (./components/forward.ts): with both naming one
 * execution node, this is the txpool of a client split into processes.
 */
import type { OptionSpec } from '../node/index.ts'
import { adminApiComponent } from './components/admin-api.ts'
import { ethComponent } from './components/eth.ts'
import { genesisChainComponent } from './components/genesis-chain.ts'
import { p2pComponent } from './components/p2p.ts'
import { p2pOptions } from './components/p2p-options.ts'
import { metricsComponent, metricsOptions } from './components/metrics.ts'
import { rpcComponent, rpcOptions } from './components/rpc.ts'
import { forwardComponent, forwardOptions, forwardRequested } from './components/forward.ts'
import { stateNodeComponent, stateNodeOptions } from './components/state-node.ts'
import { stateTxpoolComponent } from './components/state-txpool.ts'
import { statelessTxpoolComponent, statelessTxpoolOptions } from './components/stateless-txpool.ts'
import { txGossipComponent } from './components/txgossip.ts'
import { txpoolOptions } from './components/txpool.ts'
import type { Profile } from './profile.ts'

/** Namespaces served when --http.api / --ws.api are not given. */
export const TXPOOL_RPC_APIS = ['eth', 'net', 'web3', 'txpool', 'admin']

const options: OptionSpec[] = [
  { flag: 'chain', type: 'string', section: 'chain', key: 'chain', help: 'chain: mainnet (default), sepolia, hoodi, dev, a chain id, or a genesis.json path' },
  { flag: 'datadir', type: 'string', section: 'storage', key: 'datadir', help: 'data directory; holds the node key (default: $XDG_DATA_HOME/mosaic/<chain>)' },
  ...p2pOptions,
  ...txpoolOptions,
  ...statelessTxpoolOptions,
  ...stateNodeOptions,
  ...forwardOptions,
  // same rpc flags; the namespaces default to this profile's
  ...rpcOptions.map((o) => (o.flag === 'http.api' || o.flag === 'ws.api' ? { ...o, help: `${o.help.replace(/ \(default: all\)$/, '')} (default: ${TXPOOL_RPC_APIS.join(',')})` } : o)),
  ...metricsOptions,
]

export const txpoolProfile: Profile = {
  name: 'txpool',
  summary: 'p2p (discovery, eth protocol), a transaction pool (stateless, or stateful on another node with --state.url) and RPC for mempool watchers and searchers; no chain sync',
  shorthand: 'txpool-only',
  components: [p2pComponent, genesisChainComponent, stateNodeComponent, statelessTxpoolComponent, stateTxpoolComponent, forwardComponent, ethComponent, txGossipComponent, adminApiComponent, rpcComponent, metricsComponent],
  when: { 'state-node': (s) => s.state?.url !== undefined, 'stateless-txpool': (s) => s.state?.url === undefined, 'state-txpool': (s) => s.state?.url !== undefined, forward: forwardRequested },
  options,
  defaults: { chain: 'mainnet', sections: { rpc: { httpApi: TXPOOL_RPC_APIS, wsApi: TXPOOL_RPC_APIS, noState: 'eth_callBundle needs --state.url: this txpool node holds only the genesis, no state to simulate on' } } },
}
