/**
 * One workload on three engines: Mosaic (executeMessage over a JournaledState on a MemoryState,
 * as the executor runs a transaction), @ethereumjs/evm (runCall on its state manager) and revm
 * through anvil (eth_call). Every run starts from the same pre-state, with the caller, the target
 * and the precompiles warm as in a transaction.
 */
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { Account, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { executeMessage, getFork, precompileAddresses, type BlockContext, type ExecutionResult, type EvmForkName } from '../../src/evm/index.ts'
import { bigintToHex, bigintToWord, bytesToHex, type Address } from '../../src/primitives/index.ts'
import { JournaledState, MemoryState } from '../../src/state/index.ts'
import type { Anvil } from '../anvil.ts'
import { CALLER, type Workload } from './workloads.ts'

export interface Run {
  output: Uint8Array
  gasUsed: number
}

const BLOCK: BlockContext = {
  coinbase: new Uint8Array(20),
  number: 1n,
  timestamp: 1n,
  gasLimit: 30_000_000n,
  prevRandao: 0n,
  baseFee: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
}

export function mosaicEngine(w: Workload, forkName: EvmForkName): () => Run {
  const fork = getFork(forkName)
  const base = new MemoryState()
  base.setAccount(CALLER, { balance: 10n ** 24n })
  for (const a of w.accounts) base.setAccount(a.address, { code: a.code, storage: new Map(a.storage ?? []) })
  const warm = [CALLER, w.to, ...precompileAddresses(fork)]
  return () => {
    const state = new JournaledState(base, { block: BLOCK })
    state.beginTransaction({ origin: CALLER, gasPrice: 0n, blobHashes: [] })
    for (const a of warm) state.warmAddress(a)
    const r: ExecutionResult = executeMessage(state, { kind: 'call', caller: CALLER, to: w.to, value: 0n, input: w.input, gas: w.gas }, fork)
    if (r.status !== 'success') throw new Error(`${w.name} on Mosaic: ${r.status}`)
    return { output: r.output, gasUsed: w.gas - r.gasLeft }
  }
}

const ejsAddress = (a: Address) => createAddressFromString(bytesToHex(a))

export async function ethereumjsEngine(w: Workload, forkName: EvmForkName): Promise<() => Promise<Run>> {
  const hardfork = { paris: Hardfork.Paris, shanghai: Hardfork.Shanghai, cancun: Hardfork.Cancun, prague: Hardfork.Prague, osaka: Hardfork.Osaka }[forkName]
  const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork }) })
  const sm = evm.stateManager
  await sm.putAccount(ejsAddress(CALLER), new Account(0n, 10n ** 24n))
  for (const a of w.accounts) {
    const addr = ejsAddress(a.address)
    await sm.putAccount(addr, new Account())
    await sm.putCode(addr, a.code)
    for (const [k, v] of a.storage ?? []) await sm.putStorage(addr, bigintToWord(k), setLengthLeft(bigintToWord(v), 32))
  }
  for (const a of [CALLER, w.to, ...precompileAddresses(getFork(forkName))]) evm.journal.addAlwaysWarmAddress(bytesToHex(a).slice(2))
  const caller = ejsAddress(CALLER), to = ejsAddress(w.to)
  return async () => {
    await sm.checkpoint()
    const r = await evm.runCall({ caller, to, data: w.input, gasLimit: BigInt(w.gas), value: 0n })
    await sm.revert()
    if (r.execResult.exceptionError) throw new Error(`${w.name} on ethereumjs: ${r.execResult.exceptionError.error}`)
    return { output: r.execResult.returnValue, gasUsed: Number(r.execResult.executionGasUsed) }
  }
}

/** Installs the workload's accounts in anvil; the returned function times one eth_call. */
export async function anvilEngine(w: Workload, anvil: Anvil): Promise<() => Promise<Run>> {
  for (const a of w.accounts) {
    await anvil.rpc('anvil_setCode', [bytesToHex(a.address), bytesToHex(a.code)])
    for (const [k, v] of a.storage ?? []) await anvil.rpc('anvil_setStorageAt', [bytesToHex(a.address), bytesToHex(bigintToWord(k)), bytesToHex(bigintToWord(v))])
  }
  const call = { from: bytesToHex(CALLER), to: bytesToHex(w.to), data: bytesToHex(w.input), gas: bigintToHex(BigInt(w.gas) + 1_000_000n) }
  return async () => {
    const out = await anvil.rpc<string>('eth_call', [call, 'latest'])
    return { output: Buffer.from(out.slice(2), 'hex'), gasUsed: 0 }
  }
}
