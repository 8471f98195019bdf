/**
 * The `latest` component: the state that reads at `latest` see. In dev mode it is the head's
 * state with the pending dev edits (anvil_setBalance & co.) on top, shared by the pool (which
 * validates against it), the miner (which mines the edits) and RPC.
 */
import type { Blockchain } from '../../blockchain/index.ts'
import { defineComponent } from '../../node/index.ts'
import { DevEdits } from '../../payload/index.ts'
import type { FlatReader } from '../../state/index.ts'

export interface LatestState {
  /** The head's state as `latest` reads see it. */
  state(): FlatReader
  /** Pending dev edits (dev mode only). */
  readonly edits?: DevEdits
}

declare module '../../node/component.ts' {
  interface Services {
    latest: LatestState
  }
}

export function devLatest(chain: Blockchain, edits = new DevEdits()): LatestState {
  return { edits, state: () => edits.reader(chain.latestState()) }
}

export const devLatestComponent = defineComponent({
  provides: 'latest',
  requires: ['chain'],
  description: 'the latest state with pending dev-mode edits on top',
  create: ({ chain }) => ({ service: devLatest(chain) }),
})
