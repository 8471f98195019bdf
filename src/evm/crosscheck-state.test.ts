/**
 * Random programs that touch state (SSTORE/SLOAD with refunds, TSTORE/TLOAD, CALLs into two
 * contracts, one of which may revert, DELEGATECALL/STATICCALL, CREATE/CREATE2 with collisions, LOG,
 * BALANCE, SELFDESTRUCT) run on Mosaic and on @ethereumjs/evm:
 * gas used, refund, output and final storage must agree.
 */
import { describe, expect, test } from 'bun:test'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { Account, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { executeMessage } from './execute.ts'
import { MemoryHost } from './testing/memory-host.ts'

const CALLER = '0x1000000000000000000000000000000000000001'
const MAIN = '0x2000000000000000000000000000000000000002'
const C1 = '0x3000000000000000000000000000000000000003'
const C2 = '0x4000000000000000000000000000000000000004'
// C1: sstore(0, calldata[0:32]); revert if that word is odd
const C1_CODE = '0x600035600055600160003516601057005b60006000fd'
// C2: tstore(1, 7); mstore(0, tload(1)); log0(0, 32)
const C2_CODE = '0x600760015d60015c60005260206000a000'

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const h2 = (n: number) => n.toString(16).padStart(2, '0')
const push = (n: number) => `60${h2(n)}`

function program(r: () => number): string {
  let code = ''
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!
  for (let i = 0; i < 4 + Math.floor(r() * 12); i++) {
    switch (Math.floor(r() * 11)) {
      case 0: code += push(pick([0, 1, 2, 3, 200])) + push(pick([0, 1, 2, 3])) + '55'; break // SSTORE
      case 1: code += push(pick([0, 1, 2, 3])) + '5450'; break // SLOAD, POP
      case 2: code += push(pick([0, 5])) + push(pick([0, 1])) + '5d' + push(pick([0, 1])) + '5c50'; break // TSTORE, TLOAD
      case 3: { // mstore(0, v); call(gas, C1, 0, 0, 32, 0, 32); pop
        code += push(pick([0, 1, 2, 3])) + '600052' + '6020600060206000600073' + C1.slice(2) + pick(['5a', '6110cc', '61ffff']) + 'f150'
        break
      }
      case 4: code += '6020600060006000600073' + C2.slice(2) + '5af150'; break // CALL C2
      case 5: code += '73' + C1.slice(2) + '3150'; break // BALANCE(C1)
      case 6: code += push(1) + '60206000a1'; break // LOG1
      case 7: code += '6460016000f3600052' + '6005601b6000f050'; break // CREATE of code 0x00
      case 8: code += '6460016000f3600052' + push(pick([0, 1])) + '6005601b6000f550'; break // CREATE2, maybe colliding
      case 9: code += push(pick([1, 2])) + '600052' + '60206000602060007' + '3' + C1.slice(2) + '5af450'; break // DELEGATECALL C1
      case 10: code += '6020600060006000' + '73' + C2.slice(2) + '5afa50'; break // STATICCALL C2 (TSTORE fails)
    }
  }
  if (r() < 0.1) return `0x${code}73${C1.slice(2)}ff` // SELFDESTRUCT to C1
  return `0x${code}60406000f3`
}

describe('state cross-check with @ethereumjs/evm', () => {
  test('300 random state programs agree on gas, refund, output and storage', async () => {
    const r = rng(42)
    const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun })
    let successes = 0
    for (let i = 0; i < 300; i++) {
      const code = program(r)
      const gas = 1_000_000
      const initial: [string, bigint, bigint][] = [[MAIN, 1n, BigInt(Math.floor(r() * 3))], [C1, 0n, BigInt(Math.floor(r() * 2))]]

      // Mosaic
      const host = new MemoryHost()
      host.setAccount(hexToBytes(CALLER), { balance: 10n ** 18n })
      host.setAccount(hexToBytes(MAIN), { balance: 3n, code: hexToBytes(code), storage: new Map([[initial[0]![1], initial[0]![2]]]) })
      host.setAccount(hexToBytes(C1), { code: hexToBytes(C1_CODE), balance: 5n, storage: new Map([[initial[1]![1], initial[1]![2]]]) })
      host.setAccount(hexToBytes(C2), { code: hexToBytes(C2_CODE) })
      host.warmAddress(hexToBytes(CALLER))
      host.warmAddress(hexToBytes(MAIN))
      const mine = executeMessage(host, { kind: 'call', caller: hexToBytes(CALLER), to: hexToBytes(MAIN), value: 0n, input: new Uint8Array(0), gas }, 'cancun')

      // ethereumjs
      const evm = await createEVM({ common })
      const sm = evm.stateManager
      const A = (s: string) => createAddressFromString(s)
      await sm.putAccount(A(CALLER), new Account(0n, 10n ** 18n))
      for (const [addr, c, bal] of [[MAIN, code, 3n], [C1, C1_CODE, 5n], [C2, C2_CODE, 0n]] as const) {
        await sm.putAccount(A(addr), new Account(0n, bal))
        await sm.putCode(A(addr), hexToBytes(c))
      }
      for (const [addr, k, v] of initial) if (v !== 0n) await sm.putStorage(A(addr), setLengthLeft(hexToBytes(`0x${k.toString(16).padStart(2, '0')}`), 32), hexToBytes(`0x${v.toString(16).padStart(2, '0')}`))
      evm.journal.addAlwaysWarmAddress(CALLER.slice(2))
      evm.journal.addAlwaysWarmAddress(MAIN.slice(2))
      const theirs = await evm.runCall({ caller: A(CALLER), to: A(MAIN), gasLimit: BigInt(gas), data: new Uint8Array(0), value: 0n })
      const ex = theirs.execResult
      const ctx = `program ${code}`
      expect(mine.status === 'success', ctx).toBe(ex.exceptionError === undefined)
      if (ex.exceptionError !== undefined) continue
      successes++
      expect(gas - mine.gasLeft, ctx).toBe(Number(ex.executionGasUsed))
      expect(mine.gasRefund, ctx).toBe(Number(ex.gasRefund ?? 0n))
      expect(bytesToHex(mine.output), ctx).toBe(bytesToHex(ex.returnValue))
      expect(mine.logs.length, ctx).toBe(ex.logs?.length ?? 0)
      const theirMain = await sm.getAccount(A(MAIN))
      expect(host.getNonce(hexToBytes(MAIN)), `${ctx} nonce`).toBe(theirMain?.nonce ?? 0n)
      expect(host.getBalance(hexToBytes(C1)), `${ctx} balance`).toBe((await sm.getAccount(A(C1)))?.balance ?? 0n)
      for (const addr of [MAIN, C1]) {
        for (const k of [0n, 1n, 2n, 3n]) {
          const theirsV = await sm.getStorage(A(addr), setLengthLeft(hexToBytes(`0x0${k}`), 32))
          const t = theirsV.length === 0 ? 0n : BigInt(bytesToHex(theirsV))
          expect(host.getStorage(hexToBytes(addr), k), `${ctx} slot ${addr}:${k}`).toBe(t)
        }
      }
    }
    expect(successes).toBeGreaterThan(150)
  })
})
