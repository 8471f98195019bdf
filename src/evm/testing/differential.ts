/**
 * Differential runs of the compiling tier against the interpreter: random programs with
 * jumps (valid, into push data, out of range), loops, calls into a second contract that may
 * revert, memory, storage, logs, GAS and every arithmetic op, under random gas limits down to a
 * few hundred, so that out-of-gas falls inside blocks. `compareTiers` runs one program both
 * ways on fresh state and describes the first difference (status, gas, refund, output, logs,
 * storage). Used by src/evm/jit/jit.test.ts and bench/evm-fuzz.bench.ts.
 */
import { bytesToHex, hexToBytes, type Address } from '../../primitives/index.ts'
import { executeMessage } from '../execute.ts'
import type { EvmForkName } from '../frame.ts'
import { setJitMode, jitMode } from '../jit/index.ts'
import { MemoryHost } from './memory-host.ts'

const CALLER: Address = hexToBytes('0x1000000000000000000000000000000000000001')
export const FUZZ_MAIN: Address = hexToBytes('0x2000000000000000000000000000000000000002')
const OTHER: Address = hexToBytes('0x3000000000000000000000000000000000000003')
/** The callee: stores calldata[0], reverts when it is odd, else returns it and logs. */
const OTHER_CODE = hexToBytes('0x600035806000556001163d600c57600052602060006000a160206000f35b60006000fd')

/** A small seeded generator (mulberry32). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const h2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0')
const WORDS = ['00', '01', '02', '1f', '20', '40', 'ff', '0100', 'ffff'.repeat(16), '80' + '00'.repeat(31), '7f' + 'ff'.repeat(31), 'ff'.repeat(31) + 'fe']
const ARITH = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e]
/** Pushes of run-time values: calldata words (see INPUT), storage, CALLVALUE, GAS. */
const DYNAMIC = ['600035', '602035', '604035', '600154', '600054', '34', '5a', '6000355f03']
/** Calldata: a small word, a word near 2^256 and a 2^255 word. */
const INPUT = hexToBytes(`0x${'00'.repeat(31)}07${'ff'.repeat(31)}f9${'80'.repeat(32)}`)
const MISC = [0x30, 0x33, 0x34, 0x36, 0x38, 0x3d, 0x58, 0x59, 0x5a, 0x5f, 0x50, 0x0c, 0xfe, 0x47, 0x43]

/** A random program (hex without 0x) that mostly keeps enough stack, and ends by storing and
 *  returning what it computed, so a wrong value shows in the outcome. */
export function randomProgram(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const parts: string[] = []
  const jumps: number[] = [] // indexes of parts holding a jump target placeholder
  let depth = 0 // the stack depth along the straight line (jumps make it a guess)
  const need = (n: number) => depth >= n || r() < 0.03
  const n = 4 + Math.floor(r() * 60)
  for (let i = 0; i < n; i++) {
    const x = r()
    if (x < 0.3 || depth < 2) {
      // constants (which the tier folds) and values known only at run time
      const y = r()
      parts.push(y < 0.3 ? `60${h2(Math.floor(r() * 256))}` : y < 0.6 ? `${(0x5f + pick(WORDS).length / 2).toString(16)}${pick(WORDS)}` : pick(DYNAMIC))
      depth++
    } else if (x < 0.5) {
      const op = pick(ARITH)
      const pops = op === 0x08 || op === 0x09 ? 3 : op === 0x15 || op === 0x19 || op === 0x1e ? 1 : 2
      if (!need(pops)) continue
      parts.push(h2(op))
      depth = Math.max(0, depth - pops + 1)
    } else if (x < 0.6) {
      const k = 1 + Math.floor(r() * Math.min(16, Math.max(1, depth)))
      parts.push(h2(0x7f + k))
      depth++
    } else if (x < 0.67) {
      const k = 1 + Math.floor(r() * Math.min(16, Math.max(1, depth - 1)))
      parts.push(h2(0x8f + k))
    } else if (x < 0.71) parts.push('5b')
    else if (x < 0.77) {
      jumps.push(parts.length)
      parts.push(r() < 0.3 ? 'J56' : 'J57')
      depth = Math.max(0, depth - 1)
    } else if (x < 0.83) {
      parts.push(pick(['51', '6020 52', '6003 53', '7fffffff 51', '61ffff 51', '6020 20', '80 51', '59'].map((s) => s.replace(/ /g, ''))))
    } else if (x < 0.87) {
      parts.push(pick(['600055', '600054', '600155', '60015c', '60025d', '54']))
    } else if (x < 0.91) {
      parts.push(h2(pick(MISC)))
      depth++
    } else if (x < 0.94) {
      parts.push(`60206000602060006000${pick(['6001', '6002', '6000'])}6000526000${pick(['34', '6000'])}73${bytesToHex(OTHER).slice(2)}${pick(['5a', '61ffff', '6110'])}f1`)
      depth++
    } else if (x < 0.96) parts.push(pick(['60206000a0', '6000600060206000a2']))
    else parts.push(pick(['60206000f3', '60206000fd', '00', '3d6000600037', 'fe']))
  }
  // store and return the top values, so that every computed value can be compared
  parts.push('6000 52 6001 55 6002 55 6003 55 60206000f3'.replace(/ /g, ''))
  // lay out, then point each jump at a JUMPDEST (sometimes at push data or past the end)
  const offsets: number[] = []
  let pc = 0
  for (const p of parts) {
    offsets.push(pc)
    pc += p.startsWith('J') ? 4 : p.length / 2
  }
  const dests: number[] = []
  parts.forEach((p, i) => p === '5b' && dests.push(offsets[i]!))
  for (const i of jumps) {
    const d = dests.length > 0 && r() < 0.9 ? pick(dests) : Math.floor(r() * (pc + 4))
    parts[i] = `61${d.toString(16).padStart(4, '0')}${parts[i]!.slice(1)}`
  }
  return parts.join('')
}

interface Outcome {
  status: string
  gasLeft: number
  refund: number
  output: string
  logs: string
  storage: string
}

function runOnce(code: Uint8Array, input: Uint8Array, gas: number, fork: EvmForkName): Outcome {
  const host = new MemoryHost({ tx: { origin: CALLER } })
  host.setAccount(CALLER, { balance: 10n ** 20n })
  host.setAccount(FUZZ_MAIN, { code, balance: 100n, storage: new Map([[0n, 5n], [1n, 7n]]) })
  host.setAccount(OTHER, { code: OTHER_CODE })
  host.warmAddress(CALLER)
  host.warmAddress(FUZZ_MAIN)
  const r = executeMessage(host, { kind: 'call', caller: CALLER, to: FUZZ_MAIN, value: 3n, input, gas }, fork)
  const storage = [FUZZ_MAIN, OTHER].map((a) => [...(host.account(a)?.storage ?? new Map()).entries()].sort().join(';')).join('|')
  const logs = r.logs.map((l) => `${bytesToHex(l.address)}:${l.topics.join(',')}:${bytesToHex(l.data)}`).join('|')
  return { status: r.status, gasLeft: r.gasLeft, refund: r.gasRefund, output: bytesToHex(r.output), logs, storage }
}

/** Runs `hex` with the tier off and forced on; the first difference, or undefined. */
export function compareTiers(hex: string, gas: number, fork: EvmForkName = 'osaka', input = INPUT): string | undefined {
  const before = jitMode()
  // one code object per run: the tier caches by code identity and hash
  try {
    setJitMode('off')
    const a = runOnce(hexToBytes(`0x${hex}`), input, gas, fork)
    setJitMode('on')
    const b = runOnce(hexToBytes(`0x${hex}`), input, gas, fork)
    for (const k of Object.keys(a) as (keyof Outcome)[]) {
      if (a[k] !== b[k]) return `program 0x${hex} gas ${gas} (${fork}): ${k} interpreter ${a[k]} compiled ${b[k]}`
    }
    return undefined
  } finally {
    setJitMode(before)
  }
}

/** `count` random cases from `seed`; the differences found (at most `max`). */
export function fuzzTiers(seed: number, count: number, max = 5): string[] {
  const r = rng(seed)
  const found: string[] = []
  const statuses = new Map<string, number>()
  for (let i = 0; i < count && found.length < max; i++) {
    const hex = randomProgram(r)
    const gas = r() < 0.5 ? 100 + Math.floor(r() * 3000) : 10_000 + Math.floor(r() * 200_000)
    const d = compareTiers(hex, gas, r() < 0.8 ? 'osaka' : 'paris')
    if (d !== undefined) found.push(d)
  }
  return found
}
