/**
 * The gas meter of a frame. Gas is a JS number on the hot path. Gas above 2^53-1 (pre-Osaka
 * transactions may carry up to 2^64) is split: `gas` holds at most 2^53-1 and `reserve` (a
 * bigint, normally 0n) the rest. Every check that would run out of gas first moves reserve into
 * `gas` (`refill`), and GAS, the 63/64 rule and the gas handed back use the exact total, so wide
 * gas behaves exactly.
 */
import { S } from './status.ts'

/** What the meter reads and writes: a Frame has these fields. */
export interface GasMeter {
  gas: number
  reserve: bigint
  status: S
}

/** Charges `gas`; halts out of gas and returns false when the frame cannot pay. */
export function charge(f: GasMeter, gas: number): boolean {
  if (f.gas < gas && !refill(f, gas)) {
    f.status = S.OutOfGas
    return false
  }
  f.gas -= gas
  return true
}

/** Largest gas held as a number; wider totals keep the excess in `Frame.reserve`. */
export const MAX_GAS = Number.MAX_SAFE_INTEGER
export const MAX_GAS_N = BigInt(MAX_GAS)

/** The slow path of a failed gas check: moves reserve into `gas`; true if `need` is now covered. */
export function refill(f: GasMeter, need: number): boolean {
  if (f.reserve === 0n) return false
  setGas(f, totalGas(f))
  return f.gas >= need
}

/** The frame's exact gas. */
export const totalGas = (f: GasMeter): bigint => (f.reserve === 0n ? BigInt(f.gas) : BigInt(f.gas) + f.reserve)

/** Sets the frame's gas to an exact total. */
export function setGas(f: GasMeter, total: bigint): void {
  if (total <= MAX_GAS_N) {
    f.gas = Number(total)
    f.reserve = 0n
  } else {
    f.gas = MAX_GAS
    f.reserve = total - MAX_GAS_N
  }
}

/** Gives gas back to the frame (a child's gas left, an unused call allowance). */
export function addGas(f: GasMeter, gas: number | bigint): void {
  if (typeof gas === 'number') {
    const sum = f.gas + gas
    // a sum above 2^53-1 may be rounded; redo it exactly
    if (sum <= MAX_GAS) {
      f.gas = sum
      return
    }
    gas = BigInt(gas)
  }
  setGas(f, totalGas(f) + gas)
}

/** A gas amount as a number when it fits (the usual case), else as an exact bigint. */
export const narrowGas = (g: bigint): number | bigint => (g <= MAX_GAS_N ? Number(g) : g)
