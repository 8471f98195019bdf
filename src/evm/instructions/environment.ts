/**
 * 0x30–0x3f and 0x47: ADDRESS, BALANCE, ORIGIN, CALLER, CALLVALUE, CALLDATA*, CODESIZE,
 * CODECOPY, GASPRICE, EXTCODE*, RETURNDATA*, SELFBALANCE. Account reads pay EIP-2929
 * warm/cold access. EXTCODE* see EIP-7702 delegation designators as plain 23-byte code.
 */
import type { Frame } from '../frame.ts'
import { copyToMemory, useMemory, words } from '../frame-memory.ts'
import { charge } from '../gas-meter.ts'
import { S } from '../status.ts'
import { addressToWord, bytesToWord, readWord, wordToAddress } from '../words.ts'
import { G_COLD_ACCOUNT_ACCESS, G_COPY_WORD, G_WARM_ACCESS } from '../gas.ts'

/** EIP-2929 account access: charges 100 (warm) or 2600 (cold) and marks warm. */
export function accessAccount(f: Frame, addr: Uint8Array): boolean {
  return charge(f, f.ctx.host.warmAddress(addr) ? G_WARM_ACCESS : G_COLD_ACCOUNT_ACCESS)
}

export function address(f: Frame): void {
  f.stack[f.sp++] = addressToWord(f.address)
}

export function balance(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const a = wordToAddress(s[i])
  if (!accessAccount(f, a)) return
  s[i] = f.ctx.host.getBalance(a)
}

export function origin(f: Frame): void {
  f.stack[f.sp++] = addressToWord(f.ctx.host.tx.origin)
}

export function caller(f: Frame): void {
  f.stack[f.sp++] = addressToWord(f.caller)
}

export function callvalue(f: Frame): void {
  f.stack[f.sp++] = f.value
}

// Calldata words are read through one shared scratch word: a DataView over the input itself
// would make JavaScriptCore move a small input (parsed RPC data, a slice of memory) off the heap.
const wordBytes = new Uint8Array(32)
const wordView = new DataView(wordBytes.buffer)

export function calldataload(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  s[i] = calldataWord(f.input, s[i])
}

/** The 32-byte word of `input` at `off`, zero-padded past its end (the compiling tier calls it too). */
export function calldataWord(input: Uint8Array, off: bigint): bigint {
  if (off >= BigInt(input.length)) return 0n
  const start = Number(off)
  const n = Math.min(32, input.length - start)
  for (let j = 0; j < n; j++) wordBytes[j] = input[start + j]!
  for (let j = n; j < 32; j++) wordBytes[j] = 0
  return readWord(wordView, 0)
}

export function calldatasize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.input.length)
}

/** Shared by CALLDATACOPY, CODECOPY, EXTCODECOPY: memory, 3 gas/word, zero-padded copy. */
function copy(f: Frame, memOff: bigint, srcOff: bigint, size: bigint, src: Uint8Array | (() => Uint8Array)): void {
  if (!useMemory(f, memOff, size)) return
  const n = Number(size)
  if (!charge(f, G_COPY_WORD * words(n))) return
  if (n === 0) return
  copyToMemory(f, Number(memOff), typeof src === 'function' ? src() : src, srcOff, n)
}

export function calldatacopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3)
  copy(f, s[sp + 2], s[sp + 1], s[sp], f.input)
}

export function codesize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.code.length)
}

export function codecopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3)
  copy(f, s[sp + 2], s[sp + 1], s[sp], f.code)
}

export function gasprice(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.tx.gasPrice
}

export function extcodesize(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const a = wordToAddress(s[i])
  if (!accessAccount(f, a)) return
  s[i] = BigInt(f.ctx.host.getCode(a).length)
}

export function extcodecopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 4)
  const a = wordToAddress(s[sp + 3])
  if (!accessAccount(f, a)) return
  const host = f.ctx.host
  copy(f, s[sp + 2], s[sp + 1], s[sp], () => host.getCode(a))
}

export function returndatasize(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.returnData.length)
}

/** EIP-211: reading past the end of the return data is an exceptional halt. */
export function returndatacopy(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 3)
  const memOff = s[sp + 2], off = s[sp + 1], size = s[sp]
  if (off + size > BigInt(f.returnData.length)) {
    f.status = S.ReturnDataOutOfBounds
    return
  }
  copy(f, memOff, off, size, f.returnData)
}

/** EIP-1052: 0 for dead/empty accounts (EIP-161), else keccak256 of the code. */
export function extcodehash(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const a = wordToAddress(s[i])
  if (!accessAccount(f, a)) return
  const host = f.ctx.host
  s[i] = host.isDeadOrEmpty(a) ? 0n : bytesToWord(host.getCodeHash(a))
}

/** EIP-1884. */
export function selfbalance(f: Frame): void {
  f.stack[f.sp++] = f.ctx.host.getBalance(f.address)
}
