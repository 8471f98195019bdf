/** Test helper: run bytecode as a call from a funded sender on a fresh MemoryHost. */
import { hexToBytes, type Address } from '../../primitives/index.ts'
import { addressKey } from '../../state/index.ts'
import { executeMessage } from '../execute.ts'
import type { EvmForkName } from '../frame.ts'
import type { ExecutionResult, Tracer } from '../types.ts'
import { MemoryHost } from './memory-host.ts'

export const SENDER: Address = hexToBytes('0x1000000000000000000000000000000000000001')
export const CONTRACT: Address = hexToBytes('0x2000000000000000000000000000000000000002')

export interface RunOptions {
  input?: Uint8Array
  gas?: number | bigint
  fork?: EvmForkName
  value?: bigint
  host?: MemoryHost
  tracer?: Tracer
}

/** Runs `code` at CONTRACT (warm, like a tx target) and returns the result with gas used. */
export function runCode(code: Uint8Array | string, opts: RunOptions = {}): ExecutionResult & { gasUsed: number; host: MemoryHost } {
  const host = opts.host ?? new MemoryHost({ tx: { origin: SENDER } })
  const bytes = typeof code === 'string' ? hexToBytes(code.startsWith('0x') ? code : `0x${code}`) : code
  // set up in the starting state (a read through the host would fix the account for the block)
  const start = host.memory.accounts
  if (!start.has(addressKey(SENDER))) host.setAccount(SENDER, { balance: 10n ** 24n })
  const prev = start.get(addressKey(CONTRACT))
  if (!prev || prev.code.length === 0) host.setAccount(CONTRACT, { ...prev, code: bytes })
  host.warmAddress(SENDER)
  host.warmAddress(CONTRACT)
  const gas = opts.gas ?? 1_000_000
  const res = executeMessage(
    host,
    { kind: 'call', caller: SENDER, to: CONTRACT, value: opts.value ?? 0n, input: opts.input ?? new Uint8Array(0), gas },
    opts.fork ?? 'osaka',
    opts.tracer,
  )
  const used = typeof gas === 'number' && res.gasLeftWide === undefined ? gas - res.gasLeft : Number(BigInt(gas) - (res.gasLeftWide ?? BigInt(res.gasLeft)))
  return { ...res, gasUsed: used, host }
}
