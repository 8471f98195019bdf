/**
 * The `forward` component (the txpool profile's `--txpool.forward URL`): every transaction the
 * pool takes as executable goes on to that node with eth_sendRawTransaction (src/remote's
 * forwarder: in order, waiting with backoff while the node is down, picked up again when it is
 * back), and eth_sendBundle is passed on to it. With `--state.url` naming the same node, a
 * txpool process in front of an execution process, as Erigon splits them.
 */
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { startForwarder, type Forwarder } from '../../remote/index.ts'
import { checkedUrl } from './url-flag.ts'

declare module '../../node/component.ts' {
  interface Services {
    txForward: Forwarder
  }
}

export const forwardOptions: OptionSpec[] = [
  { flag: 'txpool.forward', type: 'string', section: 'forward', key: 'url', help: "pass each pooled transaction (and eth_sendBundle) on to this node's JSON-RPC (HTTP), retrying with backoff while it is down" },
]

export interface ForwardConfig {
  url: string
  log?: Logger
}

export function forwardRequested(s: Record<string, Record<string, unknown> | undefined>): boolean {
  return s.forward?.url !== undefined
}

export const forwardComponent = defineComponent({
  name: 'forward',
  provides: 'txForward',
  requires: ['txpool'],
  description: 'pooled transactions passed on to another node (--txpool.forward), in order, with backoff while it is down',
  options: forwardOptions,
  configure(s, ctx): ForwardConfig {
    const url = String(s.forward?.url)
    checkedUrl('txpool.forward', url)
    return { url, log: ctx.log.with({ component: 'forward' }) }
  },
  create({ txpool }, c) {
    const log = c.log
    const fwd = startForwarder({
      url: c.url,
      onUnreachable: (err, retryMs) => log?.warn('Forward target unreachable, retrying', { url: c.url, in: `${retryMs}ms`, waiting: fwd.waiting(), error: err.message }),
      onReconnect: () => log?.info('Forward target reachable again', { url: c.url, waiting: fwd.waiting() }),
      onRefused: (_raw, e) => log?.debug('Forwarded transaction refused', { url: c.url, code: e.code, error: e.message }),
    })
    const off = txpool.onPending((txs) => {
      for (const t of txs) fwd.send(bytesToHex(t.raw))
    })
    log?.info('Forwarding transactions', { url: c.url })
    return {
      service: fwd,
      stop: () => {
        off()
        fwd.stop()
      },
    }
  },
})
