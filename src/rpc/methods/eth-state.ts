/**
 * eth_ state reads at a block: balance, code, storage (one slot, or many of many accounts:
 * eth_getStorageValues), nonce (`pending` counts pooled transactions), the account record
 * (eth_getAccount; eth_getAccountInfo with code), EIP-1186 proofs.
 */
import { requireState } from '../blocks.ts'
import type { Methods } from '../context.ts'
import { hex, qty, word } from '../format/hex.ts'
import { address, args, array, fail, object, optionalBlock, storageKey } from '../params.ts'

const MAX_PROOF_KEYS = 1_000
/** anvil's bound on the slots of one eth_getStorageValues. */
const MAX_STORAGE_VALUES = 1_024

export const ethStateMethods: Methods = {
  eth_getBalance(ctx, p) {
    const a = args(p, 2, 1)
    const who = address(a[0], 0)
    return qty(requireState(ctx, optionalBlock(a[1], 1)).state.getAccount(who)?.balance ?? 0n)
  },
  eth_getCode(ctx, p) {
    const a = args(p, 2, 1)
    const who = address(a[0], 0)
    return hex(requireState(ctx, optionalBlock(a[1], 1)).state.getAccount(who)?.code ?? new Uint8Array(0))
  },
  eth_getStorageAt(ctx, p) {
    const a = args(p, 3, 2)
    const who = address(a[0], 0)
    const slot = storageKey(a[1], 1)
    return word(requireState(ctx, optionalBlock(a[2], 2)).state.getStorage(who, slot))
  },
  eth_getTransactionCount(ctx, p) {
    const a = args(p, 2, 1)
    const who = address(a[0], 0)
    const sel = optionalBlock(a[1], 1)
    if ('tag' in sel && sel.tag === 'pending' && ctx.pool) return qty(ctx.pool.nonce(who))
    return qty(requireState(ctx, sel).state.getAccount(who)?.nonce ?? 0n)
  },
  // geth's eth_getAccount: the account's trie record; the proof machinery already derives its roots
  eth_getAccount(ctx, p) {
    const a = args(p, 2, 2)
    const r = requireState(ctx, optionalBlock(a[1], 1)).state.proof(address(a[0], 0), [])
    return { codeHash: hex(r.codeHash), storageRoot: hex(r.storageHash), balance: qty(r.balance), nonce: qty(r.nonce) }
  },
  // anvil's (and reth's): the account without its roots, with its code
  eth_getAccountInfo(ctx, p) {
    const a = args(p, 2, 1)
    const acct = requireState(ctx, optionalBlock(a[1], 1)).state.getAccount(address(a[0], 0))
    return { balance: qty(acct?.balance ?? 0n), nonce: qty(acct?.nonce ?? 0n), code: hex(acct?.code ?? new Uint8Array(0)) }
  },
  /** `{address: [slot, ...]}` → `{address: [value, ...]}`, the slots' values in their order. */
  eth_getStorageValues(ctx, p) {
    const a = args(p, 2, 1)
    const req = Object.entries(object(a[0], 0))
    let total = 0
    const asked = req.map(([k, slots]) => {
      const list = array(slots, `0.${k}`, MAX_STORAGE_VALUES)
      total += list.length
      if (total > MAX_STORAGE_VALUES) fail(0, `more than ${MAX_STORAGE_VALUES} slots in all`)
      return [k, address(k, `0.${k}`), list.map((s, i) => storageKey(s, `0.${k}.${i}`))] as const
    })
    const state = requireState(ctx, optionalBlock(a[1], 1)).state
    return Object.fromEntries(asked.map(([k, who, slots]) => [k, slots.map((s) => word(state.getStorage(who, s)))]))
  },
  eth_getProof(ctx, p) {
    const a = args(p, 3, 2)
    const who = address(a[0], 0)
    const keys = array(a[1], 1, MAX_PROOF_KEYS)
    const slots = keys.map((k, i) => storageKey(k, `1.${i}`))
    const r = requireState(ctx, optionalBlock(a[2], 2)).state.proof(who, slots)
    return {
      address: hex(r.address),
      accountProof: r.accountProof.map(hex),
      balance: qty(r.balance),
      codeHash: hex(r.codeHash),
      nonce: qty(r.nonce),
      storageHash: hex(r.storageHash),
      storageProof: r.storageProof.map((s, i) => ({ key: keys[i], value: qty(s.value), proof: s.proof.map(hex) })),
    }
  },
}
