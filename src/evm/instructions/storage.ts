/** 0x54 SLOAD, 0x55 SSTORE (EIP-2200/2929/3529), 0x5c TLOAD, 0x5d TSTORE (EIP-1153). */
import type { Frame } from '../frame.ts'
import { charge } from '../gas-meter.ts'
import { S } from '../status.ts'
import {
  G_CALL_STIPEND, G_COLD_SLOAD, G_SSTORE_RESET, G_SSTORE_SET, G_WARM_ACCESS, R_SSTORE_CLEARS,
} from '../gas.ts'

/** EIP-2929: 100 warm, 2100 cold. */
export function sload(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  const key = s[i]
  const host = f.ctx.host
  if (!charge(f, host.warmSlot(f.address, key) ? G_WARM_ACCESS : G_COLD_SLOAD)) return
  s[i] = host.getStorage(f.address, key)
}

/** EIP-2200 net metering with EIP-2929 cold surcharge and EIP-3529 refunds. */
export function sstore(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  if (f.isStatic) {
    f.status = S.StaticStateChange
    return
  }
  // EIP-2200: fail if not more than the stipend is left
  if (f.gas <= G_CALL_STIPEND && f.reserve === 0n) {
    f.status = S.OutOfGas
    return
  }
  const key = s[sp + 1], value = s[sp]
  const host = f.ctx.host, addr = f.address
  let cost = host.warmSlot(addr, key) ? 0 : G_COLD_SLOAD
  const current = host.getStorage(addr, key)
  const original = current === value ? current : host.getOriginalStorage(addr, key)
  if (current === value || original !== current) cost += G_WARM_ACCESS
  else cost += original === 0n ? G_SSTORE_SET : G_SSTORE_RESET - G_COLD_SLOAD
  if (!charge(f, cost)) return
  if (current !== value) {
    if (original !== 0n && current !== 0n && value === 0n) f.refund += R_SSTORE_CLEARS
    if (original !== 0n && current === 0n) f.refund -= R_SSTORE_CLEARS
    if (original === value) {
      f.refund += original === 0n ? G_SSTORE_SET - G_WARM_ACCESS : G_SSTORE_RESET - G_COLD_SLOAD - G_WARM_ACCESS
    }
    host.setStorage(addr, key, value)
  }
}

export function tload(f: Frame): void {
  const s = f.stack, i = f.sp - 1
  s[i] = f.ctx.host.getTransientStorage(f.address, s[i])
}

export function tstore(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  if (f.isStatic) {
    f.status = S.StaticStateChange
    return
  }
  f.ctx.host.setTransientStorage(f.address, s[sp + 1], s[sp])
}
