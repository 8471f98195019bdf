/**
 * `--statediff.nats nats://HOST:PORT[/STREAM]`: the node publishes its chain's state-diff stream
 * to NATS JetStream (src/statediff/nats-sink.ts), every block commit and every reorg's reverts,
 * for read replicas (`mosaic --profile statesync --source nats://…`). It resumes after the
 * stream's last message on restart, so a block is published once whatever the crashes.
 *
 * The stream here is its own subscription over the chain; once the node has an in-process
 * `stateDiffs` stream component, this subscribes to that one instead (`attachNatsSink` takes
 * any StateDiffStream).
 */
import { Blockchain } from '../../blockchain/index.ts'
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'
import { attachNatsSink, openNatsSink, StateDiffError, type NatsSink } from '../../statediff/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    stateDiffNats: NatsSink
  }
}

export const stateDiffNatsOptions: OptionSpec[] = [
  { flag: 'statediff.nats', type: 'string', section: 'statediff', key: 'nats', help: 'publish every block\'s state diff to NATS JetStream at nats://HOST:PORT[/STREAM] (for statesync replicas)' },
]

export const natsRequested = (s: Record<string, Record<string, unknown>>): boolean => typeof s.statediff?.nats === 'string'

export const stateDiffNatsComponent = defineComponent({
  provides: 'stateDiffNats',
  requires: ['chain', 'stateDiffs'],
  description: 'publishes the chain\'s state-diff stream to NATS JetStream, a message per block commit or revert',
  options: stateDiffNatsOptions,
  configure: (s, ctx): { url: string; log: Logger } => ({ url: s.statediff!.nats as string, log: ctx.log.with({ component: 'statediff' }) }),
  async create({ chain, stateDiffs }, c) {
    if (!(chain instanceof Blockchain)) throw new StateDiffError('BAD_STORE', '--statediff.nats needs the node\'s own chain (its stored change sets)')
    const sink = await openNatsSink({ url: c.url, chainId: chain.spec.chainId, name: 'statediff.nats' })
    const head = sink.head()
    if (head && !chain.headerByHash(head.hash))
      // a chain being rebuilt reaches it again (the same blocks); another chain never does (a --dev.memory node restarted)
      c.log.warn('The stream ends at a block this chain does not have: publishing waits until the chain reaches it', { stream: sink.stream, number: String(head.number), hash: bytesToHex(head.hash), hint: 'if this is another chain, name a new stream: nats://HOST:PORT/STREAM' })
    // one more subscriber of the node's stream (the stateDiffs component owns and closes it)
    const sub = attachNatsSink(stateDiffs, sink)
    sub.done.catch((e) => c.log.error('Publishing state diffs stopped', { error: e instanceof Error ? e.message : String(e), details: (e as { details?: string }).details ?? '' }))
    c.log.info('Publishing state diffs', { stream: sink.stream, subject: sink.subject, from: sink.head() ? String(sink.head()!.number) : 'genesis' })
    return {
      service: sink,
      async stop() {
        await sink.close()
      },
    }
  },
})
