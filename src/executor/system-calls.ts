/**
 * System calls: messages from SYSTEM_ADDRESS to predeployed contracts at the start of a block
 * (EIP-4788 beacon roots, EIP-2935 block hashes) and at its end (EIP-7002 withdrawal and
 * EIP-7251 consolidation requests). They carry 30M gas that nobody pays and no block gas; the
 * state changes stay. The request contracts are "checked": missing code or a failed call makes
 * the block invalid (EIP-7002, EIP-7251).
 */
import { executeMessage, getFork, type EvmForkName } from '../evm/index.ts'
import { hexToBytes, type Address } from '../primitives/index.ts'
import type { JournaledState } from '../state/index.ts'
import type { ForkName } from '../types/index.ts'
import { BlockValidationError } from './header-rules.ts'

export const SYSTEM_ADDRESS: Address = hexToBytes('0xfffffffffffffffffffffffffffffffffffffffe')
export const SYSTEM_CALL_GAS = 30_000_000
export const BEACON_ROOTS_ADDRESS: Address = hexToBytes('0x000f3df6d732807ef1319fb7b8bb8522d0beac02')
export const HISTORY_STORAGE_ADDRESS: Address = hexToBytes('0x0000f90827f1c53a10cb7a02335b175320002935')
export const WITHDRAWAL_REQUEST_ADDRESS: Address = hexToBytes('0x00000961ef480eb55e80d19ad83579a64c007002')
export const CONSOLIDATION_REQUEST_ADDRESS: Address = hexToBytes('0x0000bbddc7ce488642fb579f8b00f3a590007251')

/**
 * Runs one system call and keeps its changes (EIP-161 cleanup as for a transaction). Returns
 * the output, or undefined when the call failed. `checked` calls need code at `to`.
 */
export function systemCall(state: JournaledState, fork: ForkName, to: Address, input: Uint8Array, checked: boolean): Uint8Array | undefined {
  if (state.getCode(to).length === 0) {
    if (checked) throw new BlockValidationError('SYSTEM_CONTRACT_EMPTY', `no code at system contract ${Buffer.from(to).toString('hex')}`)
    return new Uint8Array(0)
  }
  state.beginTransaction({ origin: SYSTEM_ADDRESS, gasPrice: 0n, blobHashes: [] })
  const r = executeMessage(state, { kind: 'call', caller: SYSTEM_ADDRESS, to, value: 0n, input, gas: SYSTEM_CALL_GAS }, getFork(fork as EvmForkName))
  state.finalizeTransaction()
  if (r.status !== 'success') {
    if (checked) throw new BlockValidationError('SYSTEM_CONTRACT_CALL_FAILED', `system call to ${Buffer.from(to).toString('hex')} ended with ${r.status}`)
    return undefined
  }
  return r.output
}
