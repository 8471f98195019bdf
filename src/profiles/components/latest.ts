/**
 * The `latest` component: the state that reads at `latest` see. In dev mode it is the head's
 * state with the pending dev edits (anvil_setBalance & co.) on top, shared by the pool (which
 * validates against it), the miner (which mines the edits) and RPC; a node without dev mode
 * (the node profile) has the head's state itself.
 */
import { defineComponent } from '../../node/index.ts'
import { openDevEdits, withDevEdits, type LatestState } from '../../payload/index.ts'

declare module '../../node/component.ts' {
  interface Services {
    latest: LatestState
  }
}

export const devLatestComponent = defineComponent({
  provides: 'latest',
  requires: ['chain', 'storage'],
  description: 'the latest state with pending dev-mode edits on top (kept in the store until mined)',
  create: ({ chain, storage }) => ({ service: withDevEdits(chain, openDevEdits(storage, () => chain.headBlockHash())) }),
})

/** The `latest` of a node without dev mode: the head's state as the chain keeps it. */
export const headLatestComponent = defineComponent({
  name: 'head-state',
  provides: 'latest',
  requires: ['chain'],
  description: "the latest state: the chain head's, no edits",
  create: ({ chain }) => ({ service: { latestState: () => chain.latestState() } }),
})
