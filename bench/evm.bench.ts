/**
 * Interpreter throughput, side by side with @ethereumjs/evm: `bun bench/evm.bench.ts`.
 * Programs: an arithmetic loop, a memory/keccak loop, a storage loop, and a call loop.
 */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { Account, createZeroAddress } from '@ethereumjs/util'
import { hexToBytes } from '../src/primitives/index.ts'
import { runCode } from '../src/evm/testing/run-code.ts'

const PROGRAMS: Record<string, string> = {
  // i = 100000; do { x = (x * 3 + i) ^ (x >> 7); i-- } while (i)
  arithmetic: '620186a0 6000 5b 6003 02 81 01 80 6007 1c 18 90 6001 90 03 90 81 6006 57 50 50 00',
  // 20000 × keccak256 over 64 bytes of memory, storing the result back
  keccak: '614e20 5b 6040 6000 20 6000 52 6001 90 03 80 6003 57 00',
  // 2000 × SSTORE/SLOAD on rotating slots
  storage: '6107d0 5b 80 80 55 80 54 50 6001 90 03 80 6003 57 00',
  // 2000 × STATICCALL to the identity precompile with 32 bytes
  calls: '6107d0 5b 6020 6000 6020 6000 6004 5a fa 50 6001 90 03 80 6003 57 00',
}

function fix(code: string): Uint8Array {
  return hexToBytes(`0x${code.replace(/ /g, '')}`)
}

export async function run(): Promise<void> {
  console.log('\nEVM interpreter (Cancun), Mosaic vs @ethereumjs/evm, same bytecode')
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun })
  const evm = await createEVM({ common })
  await evm.stateManager.putAccount(createZeroAddress(), new Account())
  for (const [name, hex] of Object.entries(PROGRAMS)) {
    const code = fix(hex)
    const gas = 1_000_000_000
    const warm = runCode(code, { gas, fork: 'cancun' })
    if (warm.status !== 'success') throw new Error(`${name}: ${warm.status}`)
    const time = async (f: () => unknown | Promise<unknown>) => {
      for (let i = 0; i < 3; i++) await f()
      const n = 10
      const t0 = performance.now()
      for (let i = 0; i < n; i++) await f()
      return (performance.now() - t0) / n
    }
    const mine = await time(() => runCode(code, { gas, fork: 'cancun' }))
    const theirs = await time(() => evm.runCode({ code, gasLimit: BigInt(gas) }))
    const mgas = warm.gasUsed / (mine * 1000)
    console.log(`${name.padEnd(10)} mosaic ${mine.toFixed(2)} ms (${mgas.toFixed(1)} Mgas/s)  ethereumjs ${theirs.toFixed(2)} ms  ratio ${(theirs / mine).toFixed(2)}x  gas ${warm.gasUsed}`)
  }
}

if (import.meta.main) await run()
