/** 0x00 STOP, 0x56 JUMP, 0x57 JUMPI, 0x58 PC, 0x5a GAS, 0x5b JUMPDEST, 0xfe INVALID. */
import type { Frame } from '../frame.ts'
import { totalGas } from '../gas-meter.ts'
import { S } from '../status.ts'

export function stop(f: Frame): void {
  f.status = S.Stop
}

/** Code is at most 49152 bytes (EIP-3860), so larger destinations are invalid without lookup. */
const MAX_DEST = 0x1000000n

export function jump(f: Frame): void {
  const dest = f.stack[--f.sp]
  const d = dest < MAX_DEST ? Number(dest) : -1
  if (f.jumpdests[d] !== 1) {
    f.status = S.InvalidJump
    return
  }
  f.pc = d
}

export function jumpi(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  if (s[sp] === 0n) return
  const dest = s[sp + 1]
  const d = dest < MAX_DEST ? Number(dest) : -1
  if (f.jumpdests[d] !== 1) {
    f.status = S.InvalidJump
    return
  }
  f.pc = d
}

/** The handler runs after the pc advanced past the opcode. */
export function pc(f: Frame): void {
  f.stack[f.sp++] = BigInt(f.pc - 1)
}

export function gas(f: Frame): void {
  f.stack[f.sp++] = totalGas(f)
}

export function jumpdest(_f: Frame): void {}

export function invalid(f: Frame): void {
  f.status = S.InvalidOpcode
}
