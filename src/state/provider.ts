/** The latest state as a capability: the head's flat state (a chain), or that with dev edits on top. */
import type { FlatReader } from './flat-state.ts'

export interface StateProvider {
  /** The state that reads at `latest` see; a new call after each head move. */
  latestState(): FlatReader
}
