/**
 * The `stateDiffs` component, in every profile with a chain: the state-diff stream
 * (src/statediff) over the chain's head events. Each commit, reorg and revert of the chain
 * becomes a ChainCommitted / ChainReorged / ChainReverted notification for every subscriber, each
 * at its own pace from its own head, with acknowledgements (`acknowledge(height)`, reth ExEx's
 * FinishedHeight). Its subscribers: plugins (the `stateDiffs` service), the RPC
 * (`eth_subscribe("mosaic_stateDiffs")`, `mosaic_getStateDiff`) and the statesync profile's
 * stores (./state-stores.ts).
 *
 * Retention: the chain stores every block's change set, so a subscriber any distance behind is
 * served; in memory the stream keeps the newest diffs and those above the slowest subscriber's
 * acknowledged height, bounded by `--statediff.retain` blocks. Without subscribers it does
 * nothing on import.
 */
import { defineComponent, type OptionSpec } from '../../node/index.ts'
import { chainDiffSource, createStateDiffStream, type StateDiffStream } from '../../statediff/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    stateDiffs: StateDiffStream
  }
}

export interface StateDiffsConfig {
  /** Diffs kept in memory for subscribers behind the head, beyond the newest ones. */
  retainBlocks?: number
}

export const stateDiffsOptions: OptionSpec[] = [
  {
    flag: 'statediff.retain',
    type: 'int',
    section: 'statediff',
    key: 'retainBlocks',
    min: 0,
    help: 'state diffs kept in memory for subscribers behind the head (default 4096; older ones are rebuilt from the stored change sets)',
  },
]

export const stateDiffsComponent = defineComponent({
  provides: 'stateDiffs',
  requires: ['chain'],
  description: "the state-diff stream: each block's account and slot changes as commit, reorg and revert notifications with acknowledgements",
  options: stateDiffsOptions,
  configure: (s): StateDiffsConfig => ({ retainBlocks: s.statediff?.retainBlocks as number | undefined }),
  create({ chain }, c) {
    const stream = createStateDiffStream(chainDiffSource(chain), { retainBlocks: c.retainBlocks })
    return { service: stream, stop: () => stream.close() }
  },
})
