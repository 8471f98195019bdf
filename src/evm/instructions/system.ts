/**
 * 0xf0–0xff: CREATE, CALL, CALLCODE, RETURN, DELEGATECALL, CREATE2, STATICCALL, REVERT,
 * SELFDESTRUCT. The CALL and CREATE families do all checks and gas here, then suspend the frame with a
 * `pending` child; the driver (execute.ts) runs the child and pushes its result.
 */
import { keccak256 } from '../../crypto/index.ts'
import { EMPTY_BYTES, type Address } from '../../primitives/index.ts'
import { create2Address, createAddress, delegateOf, isDelegation } from '../address.ts'
import type { Frame } from '../frame.ts'
import { useMemory, words } from '../frame-memory.ts'
import { addGas, charge, narrowGas, setGas, totalGas } from '../gas-meter.ts'
import { S } from '../status.ts'
import { wordToAddress } from '../words.ts'
import type { CallKind } from '../types.ts'
import {
  allButOne64th, CALL_DEPTH_LIMIT, G_CALL_STIPEND, G_CALL_VALUE, G_COLD_ACCOUNT_ACCESS, G_INITCODE_WORD,
  G_KECCAK_WORD, G_NEW_ACCOUNT, G_WARM_ACCESS, MAX_INITCODE_SIZE,
} from '../gas.ts'

const MAX_NONCE = (1n << 64n) - 1n

export function ret(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  if (!setOutput(f, s[sp + 1], s[sp])) return
  f.status = S.Return
}

/** EIP-140: stop, revert state, return data and remaining gas. */
export function revert(f: Frame): void {
  const s = f.stack, sp = (f.sp -= 2)
  if (!setOutput(f, s[sp + 1], s[sp])) return
  f.status = S.Revert
}

function setOutput(f: Frame, off: bigint, size: bigint): boolean {
  if (!useMemory(f, off, size)) return false
  const n = Number(size)
  f.output = n === 0 ? EMPTY_BYTES : f.mem.slice(Number(off), Number(off) + n)
  return true
}

export const call = (f: Frame): void => callCommon(f, 'call')
export const callcode = (f: Frame): void => callCommon(f, 'callcode')
export const delegatecall = (f: Frame): void => callCommon(f, 'delegatecall')
export const staticcall = (f: Frame): void => callCommon(f, 'staticcall')

/** EIP-150 (63/64), EIP-2929 (access), EIP-7702 (delegate access), stipend, value, new account. */
function callCommon(f: Frame, kind: CallKind): void {
  const s = f.stack
  const hasValue = kind === 'call' || kind === 'callcode'
  const top = f.sp - 1
  f.sp -= hasValue ? 7 : 6
  const gasArg = s[top], to = wordToAddress(s[top - 1])
  const value = hasValue ? s[top - 2] : 0n
  const i = hasValue ? top - 3 : top - 2
  const argsOff = s[i], argsSize = s[i - 1], retOff = s[i - 2], retSize = s[i - 3]
  if (!useMemory(f, argsOff, argsSize) || !useMemory(f, retOff, retSize)) return
  const { host, fork } = f.ctx
  let extra = host.warmAddress(to) ? G_WARM_ACCESS : G_COLD_ACCOUNT_ACCESS
  let code = host.getCode(to)
  let codeAddress: Address = to
  let disablePrecompiles = false
  // EIP-7702: follow a delegation designator, paying to access the delegate
  if (fork.eip7702 && isDelegation(code)) {
    codeAddress = delegateOf(code)
    disablePrecompiles = true
    extra += host.warmAddress(codeAddress) ? G_WARM_ACCESS : G_COLD_ACCOUNT_ACCESS
    code = host.getCode(codeAddress)
  }
  if (value !== 0n) {
    if (kind === 'call' && f.isStatic) {
      f.status = S.StaticStateChange
      return
    }
    extra += G_CALL_VALUE
    if (kind === 'call' && host.isDeadOrEmpty(to)) extra += G_NEW_ACCOUNT
  }
  if (!charge(f, extra)) return
  let gas: number | bigint
  if (f.reserve === 0n) {
    const g = Math.min(gasArg > 0x1fffffffffffffn ? Number.MAX_SAFE_INTEGER : Number(gasArg), allButOne64th(f.gas))
    f.gas -= g
    gas = value !== 0n ? g + G_CALL_STIPEND : g
  } else {
    const total = totalGas(f)
    const cap = total - total / 64n
    const g = gasArg < cap ? gasArg : cap
    setGas(f, total - g)
    gas = narrowGas(value !== 0n ? g + BigInt(G_CALL_STIPEND) : g)
  }
  f.returnData = EMPTY_BYTES
  if (f.depth + 1 > CALL_DEPTH_LIMIT || (hasValue && value !== 0n && host.getBalance(f.address) < value)) {
    addGas(f, gas)
    s[f.sp++] = 0n
    return
  }
  const inLen = Number(argsSize)
  const input = inLen === 0 ? EMPTY_BYTES : f.mem.slice(Number(argsOff), Number(argsOff) + inLen)
  const delegate = kind === 'delegatecall'
  f.pending = {
    msg: {
      kind,
      caller: delegate ? f.caller : f.address,
      to: kind === 'call' || kind === 'staticcall' ? to : f.address,
      codeAddress,
      value: delegate ? f.value : value,
      input,
      gas,
      depth: f.depth + 1,
      isStatic: f.isStatic || kind === 'staticcall',
    },
    code,
    disablePrecompiles,
    retOffset: retSize === 0n ? 0 : Number(retOff),
    retSize: Number(retSize),
  }
  f.status = S.Suspended
}

export const create = (f: Frame): void => createCommon(f, false)
export const create2 = (f: Frame): void => createCommon(f, true)

/** EIP-3860 initcode limit and word cost, EIP-1014 CREATE2, EIP-684/7610 collisions. */
function createCommon(f: Frame, isCreate2: boolean): void {
  const s = f.stack
  const top = f.sp - 1
  f.sp -= isCreate2 ? 4 : 3
  const value = s[top], off = s[top - 1], size = s[top - 2]
  const salt = isCreate2 ? s[top - 3] : 0n
  if (f.isStatic) {
    f.status = S.StaticStateChange
    return
  }
  if (!useMemory(f, off, size)) return
  const { host, fork } = f.ctx
  const len = Number(size)
  if (fork.eip3860 && len > MAX_INITCODE_SIZE) {
    f.status = S.OutOfGas
    return
  }
  const w = words(len)
  if (!charge(f, (fork.eip3860 ? G_INITCODE_WORD * w : 0) + (isCreate2 ? G_KECCAK_WORD * w : 0))) return
  const initcode = len === 0 ? EMPTY_BYTES : f.mem.slice(Number(off), Number(off) + len)
  f.returnData = EMPTY_BYTES
  let gas: number | bigint
  if (f.reserve === 0n) {
    gas = allButOne64th(f.gas)
    f.gas -= gas
  } else {
    const total = totalGas(f)
    const g = total - total / 64n
    setGas(f, total - g)
    gas = narrowGas(g)
  }
  const nonce = host.getNonce(f.address)
  if (f.depth + 1 > CALL_DEPTH_LIMIT || nonce === MAX_NONCE || host.getBalance(f.address) < value) {
    addGas(f, gas)
    s[f.sp++] = 0n
    return
  }
  const address = isCreate2 ? create2Address(f.address, salt, keccak256(initcode)) : createAddress(f.address, nonce)
  host.warmAddress(address)
  host.setNonce(f.address, nonce + 1n)
  if (host.getNonce(address) !== 0n || host.getCode(address).length !== 0 || host.hasStorage(address)) {
    s[f.sp++] = 0n // collision: the child's gas is consumed
    return
  }
  f.pending = {
    msg: {
      kind: isCreate2 ? 'create2' : 'create',
      caller: f.address,
      to: address,
      codeAddress: address,
      value,
      input: EMPTY_BYTES,
      gas,
      depth: f.depth + 1,
      isStatic: false,
    },
    code: initcode,
    disablePrecompiles: false,
    retOffset: 0,
    retSize: 0,
  }
  f.status = S.Suspended
}

/** EIP-6780 (Cancun): the account is deleted only if created in this transaction; otherwise
 *  only its balance moves. EIP-2929 cold surcharge, EIP-3529 no refund. */
export function selfdestruct6780(f: Frame): void {
  selfdestructCommon(f, f.ctx.host.isCreatedInTx(f.address))
}

/** Before Cancun: the account is always deleted at the end of the transaction. */
export function selfdestructLegacy(f: Frame): void {
  selfdestructCommon(f, true)
}

function selfdestructCommon(f: Frame, destroy: boolean): void {
  const beneficiary = wordToAddress(f.stack[--f.sp])
  const host = f.ctx.host
  let cost = host.warmAddress(beneficiary) ? 0 : G_COLD_ACCOUNT_ACCESS
  const balance = host.getBalance(f.address)
  if (balance !== 0n && host.isDeadOrEmpty(beneficiary)) cost += G_NEW_ACCOUNT
  if (!charge(f, cost)) return
  if (f.isStatic) {
    f.status = S.StaticStateChange
    return
  }
  // before the balance moves, so that tracers see what it moves (geth's SELFDESTRUCT frame)
  f.ctx.tracer?.onSelfDestruct?.(f.address, beneficiary, balance, f.depth)
  if (balance !== 0n) host.transfer(f.address, beneficiary, balance)
  if (destroy) {
    // a self-beneficiary burns the balance
    if (host.getBalance(f.address) !== 0n) host.setBalance(f.address, 0n)
    host.markDestroyed(f.address)
  }
  f.status = S.Stop
}
