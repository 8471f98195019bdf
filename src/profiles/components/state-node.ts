/**
 * The `stateNode` component (the txpool profile's `--state.url`): another node's head, followed
 * by src/remote's head follower (polled, and at once on its newHeads with `--state.ws`), each
 * head with its state read lazily from that node. The stateful pool validates against it
 * (./state-txpool.ts) and eth_callBundle simulates on it. A state node of another chain is
 * refused at start.
 */
import { ConfigError, defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { followHead, type HeadFollower } from '../../remote/index.ts'
import { checkedUrl } from './url-flag.ts'

declare module '../../node/component.ts' {
  interface Services {
    stateNode: HeadFollower
  }
}

export const stateNodeOptions: OptionSpec[] = [
  { flag: 'state.url', type: 'string', section: 'state', key: 'url', help: "validate transactions against this node's head state (JSON-RPC over HTTP): a stateful pool" },
  { flag: 'state.ws', type: 'string', section: 'state', key: 'wsUrl', help: "the state node's WebSocket endpoint: its newHeads notifications trigger the head poll at once" },
  { flag: 'state.poll', type: 'int', section: 'state', key: 'pollMs', min: 10, max: 600_000, help: "ms between polls of the state node's head (default 1000)" },
]

export interface StateNodeConfig {
  url: string
  wsUrl?: string
  pollMs?: number
  log?: Logger
}

export const stateNodeComponent = defineComponent({
  name: 'state-node',
  provides: 'stateNode',
  requires: ['chain'],
  description: "another node's head and its state, read lazily over JSON-RPC (--state.url): what the stateful pool validates against and eth_callBundle simulates on",
  options: stateNodeOptions,
  configure(s, ctx): StateNodeConfig {
    const url = String(s.state?.url)
    checkedUrl('state.url', url)
    const wsUrl = s.state?.wsUrl as string | undefined
    if (wsUrl !== undefined) checkedUrl('state.ws', wsUrl, 'ws')
    return { url, wsUrl, pollMs: s.state?.pollMs as number | undefined, log: ctx.log.with({ component: 'state' }) }
  },
  async create({ chain }, c) {
    let unreachable = false
    const follower = await followHead({
      url: c.url,
      wsUrl: c.wsUrl,
      pollMs: c.pollMs,
      retries: 2,
      backoffMs: 200,
      hint: 'check --state.url',
      onError: (e) => {
        unreachable = true
        c.log?.warn('State node unreachable', { url: c.url, error: e.message })
      },
    })
    if (follower.chainId !== chain.spec.chainId) {
      follower.stop()
      throw new ConfigError(`the state node ${c.url} is chain ${follower.chainId}, not ${chain.spec.name} (${chain.spec.chainId})`, 'pass the matching --chain')
    }
    const off = follower.onHead((h) => {
      if (unreachable) c.log?.info('State node reachable again', { url: c.url, head: h.header.number })
      unreachable = false
    })
    c.log?.info('Following the state node', { url: c.url, head: follower.head().header.number })
    return {
      service: follower,
      stop: () => {
        off()
        follower.stop()
      },
    }
  },
})
