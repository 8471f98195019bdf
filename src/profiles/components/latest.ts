/**
 * The `latest` component: the state that reads at `latest` see. In dev mode it is the head's
 * state with the pending dev edits (anvil_setBalance & co.) on top, shared by the pool (which
 * validates against it), the miner (which mines the edits) and RPC.
 */
import { defineComponent } from '../../node/index.ts'
import { withDevEdits, type LatestState } from '../../payload/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    latest: LatestState
  }
}

export const devLatestComponent = defineComponent({
  provides: 'latest',
  requires: ['chain'],
  description: 'the latest state with pending dev-mode edits on top',
  create: ({ chain }) => ({ service: withDevEdits(chain) }),
})
