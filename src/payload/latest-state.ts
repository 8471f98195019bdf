/**
 * The `latest` state as a service: a StateProvider (the chain's head state), which dev mode
 * wraps with its pending edits (./dev-edits.ts) so that the pool, eth_call and reads at
 * `latest` see anvil_setBalance & co. at once, and the miner mines them.
 */
import type { StateProvider } from '../state/index.ts'
import { DevEdits } from './dev-edits.ts'

export interface LatestState extends StateProvider {
  /** Pending dev edits, when dev mode wraps the state. */
  readonly edits?: DevEdits
}

/** `base`'s latest state with `edits` on top. */
export function withDevEdits(base: StateProvider, edits = new DevEdits()): LatestState {
  return { edits, latestState: () => edits.reader(base.latestState()) }
}
