/**
 * The p2p flags as node options: geth's names, read raw into the `p2p` section and turned into
 * a P2pConfig by `parseP2pConfig` (src/p2p/config.ts), which alone validates them — so a bad
 * value fails with one message naming the flag. The list of flags is config.ts's P2P_FLAGS.
 */
import type { OptionSpec } from '../../node/index.ts'
import { DEFAULT_MAX_PEERS, DEFAULT_P2P_PORT, P2P_FLAGS, parseP2pConfig, type P2pConfig, type P2pConfigContext, type P2pFlags } from '../../p2p/index.ts'

const HELP: Record<(typeof P2P_FLAGS.values)[number] | (typeof P2P_FLAGS.booleans)[number], string> = {
  bootnodes: "comma-separated enode:// URLs or enr: records to bootstrap discovery (default: the chain's)",
  addr: 'IPv4 interface the RLPx and discovery sockets listen on (default 0.0.0.0)',
  port: `RLPx TCP port and, unless --discovery.port is set, discovery UDP port (default ${DEFAULT_P2P_PORT}; 0: any free port)`,
  'discovery.port': 'discovery UDP port (default: --port)',
  nat: 'address to advertise: extip:IP, none or any (UPnP and NAT-PMP are not implemented)',
  maxpeers: `maximum number of peers (default ${DEFAULT_MAX_PEERS})`,
  nodekey: 'file holding the node key in hex (default: <datadir>/nodekey, created when absent)',
  nodekeyhex: 'the node key in hex (instead of --nodekey)',
  nodiscover: 'no discovery: connect only to static peers (admin_addPeer)',
  'discovery.v4': 'discv4 discovery (default on)',
  'discovery.v5': 'discv5 discovery (default off)',
}

export const p2pOptions: OptionSpec[] = [
  ...P2P_FLAGS.values.map((flag): OptionSpec => ({ flag, type: 'string', section: 'p2p', key: flag, help: HELP[flag] })),
  ...P2P_FLAGS.booleans.map((flag): OptionSpec => ({ flag, type: 'bool', section: 'p2p', key: flag, help: HELP[flag] })),
]

/** The P2pConfig from the `p2p` section; throws P2pConfigError naming the flag. */
export function p2pConfigFrom(section: Record<string, unknown> | undefined, ctx: P2pConfigContext): P2pConfig {
  const flags: P2pFlags = {}
  for (const [k, v] of Object.entries(section ?? {})) if (typeof v === 'string' || typeof v === 'boolean') flags[k] = v
  return parseP2pConfig(flags, ctx)
}
