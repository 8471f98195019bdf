/**
 * `mosaic run`: executes bytecode against an empty in-memory state (like geth's `evm run`).
 * Prints the output, status and gas used; `--trace` prints one geth-style struct-log JSON line
 * per step; `--bench` repeats the run and prints timing.
 */
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import { executeMessage, getFork, isForkName, FORK_NAMES, type BlockContext, type Tracer } from '../../evm/index.ts'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { JournaledState, MemoryState } from '../../state/index.ts'

const USAGE = `Usage: mosaic run (--code HEX | --codefile FILE) [--input HEX] [--gas N] [--fork NAME] [--trace] [--bench]

Executes bytecode as a call to a contract in an otherwise empty state.

Options:
  --code HEX       bytecode (0x prefix optional)
  --codefile FILE  file holding the bytecode as hex ("-" reads stdin)
  --input HEX      calldata
  --gas N          gas limit (default 10000000)
  --fork NAME      ${FORK_NAMES.join(', ')} (default osaka)
  --trace          print a JSON line per step (pc, op, gas, gasCost, depth, stack)
  --bench          run repeatedly for about a second and print timing`

const CALLER = hexToBytes('0x000000000000000000000000000000000000c411')
const TARGET = hexToBytes('0x0000000000000000000000000000000000c0de00')

function parseHex(s: string, what: string): Uint8Array {
  const t = s.trim().replace(/^0x/i, '')
  if (!/^[0-9a-fA-F]*$/.test(t) || t.length % 2 !== 0) throw new UsageError(`--${what} is not even-length hex`)
  return hexToBytes(`0x${t}`)
}

export interface RunDeps {
  out: (line: string) => void
  readFile: (path: string) => Promise<string>
}

const defaultDeps: RunDeps = {
  out: (line) => console.log(line),
  readFile: async (path) => (path === '-' ? await Bun.stdin.text() : await Bun.file(path).text()),
}

/** The block the code runs in (block 1 on chain 1, base fee 7 wei). */
const BLOCK: BlockContext = { coinbase: new Uint8Array(20), number: 1n, timestamp: 1n, gasLimit: 30_000_000n, prevRandao: 0n, baseFee: 7n, blobBaseFee: 1n, chainId: 1n }

/** A funded caller and the contract, on the journaled state the executor uses, over memory. */
function makeHost(code: Uint8Array): JournaledState {
  const base = new MemoryState()
  base.setAccount(CALLER, { balance: 10n ** 24n })
  base.setAccount(TARGET, { code })
  const host = new JournaledState(base, { block: BLOCK })
  host.beginTransaction({ origin: CALLER, gasPrice: 10n, blobHashes: [] })
  host.warmAddress(CALLER)
  host.warmAddress(TARGET)
  return host
}

/** Runs the command with injectable output (for tests). Returns the exit code. */
export async function runCommand(args: string[], deps: RunDeps = defaultDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['code', 'codefile', 'input', 'gas', 'fork'], booleans: ['trace', 'bench'] })
  if (positional.length > 0) throw new UsageError(`unexpected argument ${positional[0]}`)
  const codeFlag = flags.get('code'), codeFile = flags.get('codefile')
  if ((codeFlag === undefined) === (codeFile === undefined)) throw new UsageError('give exactly one of --code and --codefile')
  const code = parseHex(typeof codeFlag === 'string' ? codeFlag : await deps.readFile(codeFile as string), 'code')
  const input = typeof flags.get('input') === 'string' ? parseHex(flags.get('input') as string, 'input') : new Uint8Array(0)
  const gasText = (flags.get('gas') as string | undefined) ?? '10000000'
  if (!/^\d+$/.test(gasText) || !Number.isSafeInteger(Number(gasText))) throw new UsageError('--gas must be a non-negative integer below 2^53')
  const gas = Number(gasText)
  const forkName = ((flags.get('fork') as string | undefined) ?? 'osaka').toLowerCase()
  if (!isForkName(forkName)) throw new UsageError(`unknown fork ${forkName}; known: ${FORK_NAMES.join(', ')}`)
  const fork = getFork(forkName)
  const msg = { kind: 'call' as const, caller: CALLER, to: TARGET, value: 0n, input, gas }

  let tracer: Tracer | undefined
  if (flags.has('trace')) {
    tracer = {
      onStep(pc, op, gasLeft, cost, stack, memory, depth) {
        deps.out(JSON.stringify({
          pc,
          op,
          gas: `0x${gasLeft.toString(16)}`,
          gasCost: `0x${cost.toString(16)}`,
          memSize: memory.length,
          stack: stack.map((v) => `0x${v.toString(16)}`),
          depth: depth + 1,
          opName: fork.opNames[op],
        }))
      },
    }
  }
  const res = executeMessage(makeHost(code), msg, fork, tracer)
  deps.out(JSON.stringify({ output: bytesToHex(res.output), gasUsed: `0x${(gas - res.gasLeft).toString(16)}`, status: res.status }))

  if (flags.has('bench')) {
    let runs = 0
    const start = performance.now()
    let elapsed = 0
    while (elapsed < 1000 || runs < 3) {
      executeMessage(makeHost(code), msg, fork)
      runs++
      elapsed = performance.now() - start
    }
    const perRunMs = elapsed / runs
    const mgas = (gas - res.gasLeft) / (perRunMs * 1000)
    deps.out(JSON.stringify({ runs, totalMs: Number(elapsed.toFixed(3)), perRunMs: Number(perRunMs.toFixed(6)), mgasPerSec: Number(mgas.toFixed(2)) }))
  }
  return res.status === 'success' ? 0 : 1
}

export const run: Command = {
  name: 'run',
  summary: 'execute EVM bytecode against an empty in-memory state',
  usage: USAGE,
  run: (args) => runCommand(args),
}
