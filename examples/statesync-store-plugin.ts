/**
 * An example store for `mosaic statesync --store examples/statesync-store-plugin.ts`: a plugin
 * whose component provides `stateStore`. `create` gets `{ dir }` (a directory of its own) and
 * returns the store. This one keeps the state in memory through the built-in memory adapter
 * and counts the slot writes it is given; a real one would put each block's writes and the new
 * head in one transaction of its database (see src/statediff/stores/ for four of them).
 *
 *   bin/mosaic statesync --source generate:blocks=100 --store examples/statesync-store-plugin.ts --store sqlite
 */
import { defineComponent } from '../src/node/component.ts'
import { definePlugin } from '../src/profiles/plugins.ts'
import { openMemoryStateStore, type BlockDiff, type StateStore } from '../src/statediff/index.ts'

function countingStore(): StateStore & { slotWrites: number } {
  const inner = openMemoryStateStore()
  const count = (d: BlockDiff) => d.accounts.reduce((n, a) => n + a.slots.length, 0)
  return {
    ...inner,
    kind: 'counting-memory',
    slotWrites: 0,
    apply(d) {
      this.slotWrites += count(d)
      return inner.apply(d)
    },
    revert(d) {
      this.slotWrites += count(d)
      return inner.revert(d)
    },
  }
}

export default definePlugin({
  name: 'counting-state-store',
  components: [
    defineComponent({
      provides: 'stateStore',
      requires: [],
      description: 'an in-memory state store that counts slot writes (example plugin)',
      create: (_deps, _config: { dir: string }) => ({ service: countingStore() }),
    }),
  ],
})
