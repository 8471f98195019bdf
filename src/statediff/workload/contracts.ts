/**
 * The workload's contracts, as hand-assembled bytecode (no compiler at run time):
 * - an ERC-20-like token: calldata `to ‖ amount`; `balance[caller] -= amount`,
 *   `balance[to] += amount`, balances keyed by the holder's address as the slot;
 * - a storage churner: calldata `(slot ‖ value)*`, each pair an SSTORE (new slots, overwrites,
 *   deletes by writing zero);
 * - a creatable contract: its constructor sets some slots and returns a runtime that is unique
 *   (a salt) and self-destructs when called, sending its balance to the caller. Before Cancun
 *   that removes the account and wipes its storage (EIP-6780 keeps both from Cancun on).
 */
import { bigintToWord, concatBytes } from '../../primitives/index.ts'

const op = { STOP: 0x00, ADD: 0x01, SUB: 0x03, LT: 0x10, ISZERO: 0x15, POP: 0x50, CALLER: 0x33, CALLDATALOAD: 0x35, CALLDATASIZE: 0x36, CODECOPY: 0x39, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57, JUMPDEST: 0x5b, PUSH1: 0x60, PUSH2: 0x61, PUSH32: 0x7f, DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, SWAP1: 0x90, RETURN: 0xf3, SELFDESTRUCT: 0xff } as const

// prettier-ignore
export const TOKEN_RUNTIME = new Uint8Array([
  op.PUSH1, 0x20, op.CALLDATALOAD, op.DUP1,          // amount amount
  op.CALLER, op.SLOAD, op.SUB, op.CALLER, op.SSTORE, // balance[caller] -= amount
  op.PUSH1, 0x00, op.CALLDATALOAD, op.DUP1, op.SLOAD, // balance[to] to amount
  op.DUP3, op.ADD, op.SWAP1, op.SSTORE,              // balance[to] += amount
  op.STOP,
])

// prettier-ignore
export const CHURN_RUNTIME = new Uint8Array([
  op.PUSH1, 0x00,                                              // i
  op.JUMPDEST,                                                 // 0x02: loop
  op.CALLDATASIZE, op.DUP2, op.LT, op.ISZERO, op.PUSH1, 0x18, op.JUMPI, // i >= size: done
  op.DUP1, op.PUSH1, 0x20, op.ADD, op.CALLDATALOAD,            // value i
  op.DUP2, op.CALLDATALOAD, op.SSTORE,                         // slot[i] = value
  op.PUSH1, 0x40, op.ADD, op.PUSH1, 0x02, op.JUMP,             // i += 64
  op.JUMPDEST, op.STOP,                                        // 0x18: done
])

/** The runtime of a created contract: unique by `salt`; any call self-destructs it to the caller. */
export const destructibleRuntime = (salt: Uint8Array): Uint8Array => concatBytes(new Uint8Array([op.PUSH32]), salt, new Uint8Array([op.POP, op.CALLER, op.SELFDESTRUCT]))

/** Creation code: `slots` set (slot i → value), then `runtime` returned. */
export function creationCode(slots: readonly [bigint, bigint][], runtime: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = []
  for (const [k, v] of slots) parts.push(new Uint8Array([op.PUSH32]), bigintToWord(v), new Uint8Array([op.PUSH32]), bigintToWord(k), new Uint8Array([op.SSTORE]))
  const prefix = concatBytes(...parts)
  const tailLength = 13
  const offset = prefix.length + tailLength
  const len = runtime.length
  // prettier-ignore
  const tail = new Uint8Array([op.PUSH2, len >> 8, len & 0xff, op.DUP1, op.PUSH2, offset >> 8, offset & 0xff, op.PUSH1, 0, op.CODECOPY, op.PUSH1, 0, op.RETURN])
  return concatBytes(prefix, tail, runtime)
}

/** Calldata of a token transfer. */
export const tokenTransferData = (to: Uint8Array, amount: bigint): Uint8Array => concatBytes(new Uint8Array(12), to, bigintToWord(amount))

/** Calldata of a churn: one 64-byte pair per write. */
export function churnData(writes: readonly [bigint, bigint][]): Uint8Array {
  const out = new Uint8Array(64 * writes.length)
  writes.forEach(([k, v], i) => {
    out.set(bigintToWord(k), 64 * i)
    out.set(bigintToWord(v), 64 * i + 32)
  })
  return out
}
