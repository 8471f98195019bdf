/**
 * An example plugin on the state-diff stream, in process: a component that requires the
 * `stateDiffs` service, subscribes from the chain's head, and keeps a tally of what each block
 * changed (accounts, slots, reverts), acknowledging each block once counted; the RPC method
 * `diffstats_summary` answers it.
 *
 *   bin/mosaic --profile execution --plugin examples/statediff-plugin.ts
 *   curl -s localhost:8545 -H 'content-type: application/json' \
 *     -d '{"jsonrpc":"2.0","id":1,"method":"diffstats_summary","params":[]}'
 *
 * The same subscription API (`onCommit`, `onRevert`, `acknowledge`) feeds the statesync
 * profile's stores; see src/statediff/index.ts.
 */
import { defineComponent } from '../src/node/component.ts'
import { definePlugin } from '../src/profiles/plugins.ts'
import type { BlockDiff, Subscription } from '../src/statediff/index.ts'
import { headerHash } from '../src/types/index.ts'

interface Tally {
  blocks: number
  reverts: number
  accounts: number
  slots: number
  head?: string
}

declare module '../src/node/component.ts' {
  interface Services {
    diffStats: Tally
  }
}

/** The running node's tally (one node per process); the RPC method reads it. */
export const tally: Tally = { blocks: 0, reverts: 0, accounts: 0, slots: 0 }

const diffStats = defineComponent({
  provides: 'diffStats',
  requires: ['chain', 'stateDiffs'],
  description: 'counts the accounts and slots each block changes (example plugin)',
  create({ chain, stateDiffs }) {
    const count = (sign: 1 | -1) => (d: BlockDiff) => {
      if (sign > 0) tally.blocks++
      else tally.reverts++
      tally.accounts += d.accounts.length
      for (const a of d.accounts) tally.slots += a.slots.length
    }
    const head = chain.head()
    let sub: Subscription | undefined
    sub = stateDiffs.subscribe(
      {
        // everything delivered before this notification is counted: acknowledge it
        onNotification: () => void (sub?.position && sub.acknowledge(sub.position.number)),
        onCommit: (d) => {
          count(1)(d)
          tally.head = `0x${d.number.toString(16)}`
        },
        onRevert: count(-1),
      },
      { name: 'diffstats', from: { number: head.number, hash: headerHash(head) } },
    )
    return { service: tally, stop: () => sub?.close() }
  },
})

export default definePlugin({
  name: 'diffstats',
  components: [diffStats],
  rpc: { diffstats_summary: () => tally },
})
