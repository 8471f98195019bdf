/**
 * The memory store: maps of accounts, slots per account and code by hash. The smallest
 * complete `StateStore`, and the pattern of the others: check the order, write the accounts
 * and slots, move the head. Nothing survives the process, so a restarted run starts it empty.
 * It also keeps a commitment: `stateRoot()` is the Merkle-Patricia root of its flat contents
 * (built from the sorted leaves, as a genesis root is), which the testbed checks against each
 * header's state root.
 */
import { bytesToHex, encodeRlp, hexToBytes, type Address, type Hash } from '../../primitives/index.ts'
import { secureRoot, storageRoot } from '../../state/index.ts'
import type { StateStore } from '../store.ts'
import type { AccountState, BlockDiff, BlockRef } from '../types.ts'
import { headAfter, orderedWrites } from './order.ts'

export function openMemoryStateStore(): StateStore {
  const accounts = new Map<string, AccountState>()
  const storage = new Map<string, Map<bigint, bigint>>()
  const codes = new Map<string, Uint8Array>()
  let head: BlockRef | undefined
  let transitions = 0
  let slotCount = 0

  const write = (d: BlockDiff) => {
    for (const c of d.codes) codes.set(bytesToHex(c.hash), c.code)
    for (const a of d.accounts) {
      const k = bytesToHex(a.address)
      if (a.after) accounts.set(k, a.after)
      else accounts.delete(k)
      let slots = storage.get(k)
      for (const [s, , v] of a.slots) {
        if (v === 0n) {
          if (slots?.delete(s)) slotCount--
        } else {
          if (!slots) storage.set(k, (slots = new Map()))
          if (!slots.has(s)) slotCount++
          slots.set(s, v)
        }
      }
      if (slots && slots.size === 0) storage.delete(k)
    }
    head = headAfter(d)
    transitions++
  }

  return {
    kind: 'memory',
    head: () => head,
    ...orderedWrites('memory', () => head, write),
    account: (address: Address) => accounts.get(bytesToHex(address)),
    slot: (address: Address, slot: bigint) => storage.get(bytesToHex(address))?.get(slot) ?? 0n,
    code: (hash: Hash) => codes.get(bytesToHex(hash)),
    flush() {},
    stats: () => ({ bytesOnDisk: 0, entries: { accounts: accounts.size, slots: slotCount, codes: codes.size }, transitions }),
    stateRoot(): Hash {
      const empty = new Map<bigint, bigint>()
      const leaves: [Uint8Array, Uint8Array][] = []
      for (const [k, a] of accounts) leaves.push([hexToBytes(k as `0x${string}`), encodeRlp([a.nonce, a.balance, storageRoot(storage.get(k) ?? empty), a.codeHash])])
      return secureRoot(leaves)
    },
    async close() {},
  }
}
