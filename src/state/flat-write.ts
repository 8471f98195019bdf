/** Applying a change set to the flat tables inside a block's write batch, forward or back. */
import { bigintToWord } from '../primitives/index.ts'
import { accountKey, codeKey, storageKey, type WriteBatch } from '../storage/index.ts'
import type { ChangeSet, ChangeSetCode } from './changeset.ts'
import { encodeFlatAccount, encodeSlotValue } from './flat-state.ts'

/**
 * `redo` moves the flat state from the block's parent to the block; `undo` moves it back. The
 * batch applies operations in order, so several blocks can be chained in one batch (a reorg).
 */
export function writeChangeSet(batch: WriteBatch, cs: ChangeSet, dir: 'redo' | 'undo', codes: readonly ChangeSetCode[] = []): void {
  for (const { hash, code } of codes) batch.put(codeKey(hash), code)
  const setSlot = (address: Uint8Array, slot: bigint, v: bigint) => {
    const k = storageKey(address, bigintToWord(slot))
    if (v === 0n) batch.delete(k)
    else batch.put(k, encodeSlotValue(v))
  }
  for (const c of cs) {
    const account = dir === 'redo' ? c.after : c.before
    if (account) batch.put(accountKey(c.address), encodeFlatAccount(account))
    else batch.delete(accountKey(c.address))
    if (dir === 'redo') {
      if (c.cleared || !c.after) for (const [slot] of c.wiped) setSlot(c.address, slot, 0n)
      for (const [slot, , after] of c.slots) setSlot(c.address, slot, after)
    } else {
      for (const [slot, before] of c.slots) setSlot(c.address, slot, before)
      if (c.cleared) for (const [slot, v] of c.wiped) setSlot(c.address, slot, v)
    }
  }
}
