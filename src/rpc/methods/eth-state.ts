/** eth_ state reads at a block: balance, code, storage, nonce (`pending` counts pooled transactions), the account record (eth_getAccount), EIP-1186 proofs. */
import { requireState } from '../blocks.ts'
import type { Methods } from '../context.ts'
import { hex, qty, word } from '../format/hex.ts'
import { address, args, array, optionalBlock, storageKey } from '../params.ts'

const MAX_PROOF_KEYS = 1_000

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
