/**
 * Frame memory: a growable Uint8Array with a DataView for word access, priced by `memoryCost`
 * and drawn from the per-depth pool in `Context.mems` (a frame's buffer is reused, cleared, by
 * the next frame at its depth).
 */
import type { Frame } from './frame.ts'
import { charge } from './gas-meter.ts'
import { memoryCost } from './gas.ts'
import { S } from './status.ts'

/** Largest memory offset/size we try to price; beyond it any access is out of gas. */
const MAX_MEMORY_N = 0xffffffffn

/**
 * Charges for and grows memory to cover [offset, offset+size). Returns false (and halts the
 * frame out of gas) when the range is unaffordable. Size 0 never touches memory.
 */
export function useMemory(f: Frame, offset: bigint, size: bigint): boolean {
  if (size === 0n) return true
  if (offset > MAX_MEMORY_N || size > MAX_MEMORY_N) {
    f.status = S.OutOfGas
    return false
  }
  const end = Number(offset) + Number(size)
  if (end <= f.memSize) return true
  return expandMemory(f, end)
}

/** useMemory for `size` bytes (1 or 32) at `offset`: the offset as a number, or -1 after
 *  halting out of gas. The MLOAD/MSTORE path, without bigint size checks. */
export function useBytes(f: Frame, offset: bigint, size: number): number {
  if (offset > MAX_MEMORY_N) {
    f.status = S.OutOfGas
    return -1
  }
  const o = Number(offset)
  if (o + size <= f.memSize || expandMemory(f, o + size)) return o
  return -1
}

/** Grows memory to at least `end` bytes (rounded up to words), charging the difference. */
export function expandMemory(f: Frame, end: number): boolean {
  const words = Math.ceil(end / 32)
  const cost = memoryCost(words)
  if (!charge(f, cost - f.memCost)) return false
  f.memCost = cost
  const size = words * 32
  const mems = f.ctx.mems
  if (size > f.mem.length) {
    const slot = mems[f.depth]
    if (f.mem.length === 0 && slot !== undefined && slot.mem.length >= size) {
      // the frame's first growth: its depth's buffer, cleared where the frame before wrote
      slot.mem.fill(0, 0, slot.used)
      slot.used = 0
      f.mem = slot.mem
      f.memView = slot.view
    } else {
      // the ArrayBuffer first: asking a typed array for its .buffer later makes JSC move it out of the heap
      const ab = new ArrayBuffer(Math.max(size, f.mem.length * 2, 1024))
      const grown = new Uint8Array(ab)
      grown.set(f.mem.subarray(0, f.memSize))
      f.mem = grown
      f.memView = new DataView(ab)
      mems[f.depth] = { mem: grown, view: f.memView, used: 0 }
    }
  }
  f.memSize = size
  const slot = mems[f.depth]!
  if (slot.mem === f.mem && size > slot.used) slot.used = size
  return true
}

/** Copies `size` bytes of `src` from `srcOffset` (zero-padded past its end) into memory. */
export function copyToMemory(f: Frame, memOffset: number, src: Uint8Array, srcOffset: bigint, size: number): void {
  if (size === 0) return
  const mem = f.mem
  const start = srcOffset >= BigInt(src.length) ? src.length : Number(srcOffset)
  const avail = Math.min(size, src.length - start)
  if (avail > 0) mem.set(avail === src.length ? src : new Uint8Array(src.buffer, src.byteOffset + start, avail), memOffset)
  if (avail < size) mem.fill(0, memOffset + Math.max(avail, 0), memOffset + size)
}

/** Words (ceil(size/32)) of a size already known to fit memory bounds. */
export const words = (size: number): number => Math.ceil(size / 32)
