/**
 * When a frame runs compiled code: the tier's mode (`off`, `on` = every code, `auto` = code that
 * has become hot by calls or gas), the per-code hotness, and a bounded LRU of programs keyed by
 * code hash and fork. A frame with a step tracer always runs in the interpreter, which is what
 * the tracer observes.
 */
import { keccak256 } from '../../crypto/index.ts'
import { analyze } from '../analysis.ts'
import type { Fork, Frame } from '../frame.ts'
import { interpret } from '../interpreter.ts'
import { HEX } from '../words.ts'
import { compile, type Program } from './compile.ts'

export const JIT_MODES = ['off', 'on', 'auto'] as const
export type JitMode = (typeof JIT_MODES)[number]

/** In `auto`, code compiles once its calls × CALL_SCORE plus the gas its frames spent reach
 *  HOT + HOT_PER_BYTE × its size: compiling, and the engine optimizing what was compiled, costs
 *  about in proportion to the code's size, so larger code must prove hotter. */
const HOT = 100_000
const HOT_PER_BYTE = 50
const CALL_SCORE = 5_000
/** Programs kept; the least recently entered one is dropped beyond this. */
const CACHE_SIZE = 1024

interface Compiled {
  run: Program
  /** False once evicted: code objects still pointing at it compile again when hot. */
  live: boolean
}

interface CodeState {
  score: number
  compiled: Compiled | undefined
  /** The fork `compiled` and `key` are for (the same code may run under another). */
  fork: Fork | undefined
  key: string
  /** Compilation threw (it should not): this code stays in the interpreter. */
  failed: boolean
}

const isMode = (m: string | undefined): m is JitMode => (JIT_MODES as readonly string[]).includes(m ?? '')
let mode: JitMode = isMode(process.env.MOSAIC_EVM_JIT) ? process.env.MOSAIC_EVM_JIT : 'auto'

/** Sets the tier's mode for the process (the `--evm.jit` flag; MOSAIC_EVM_JIT sets the default). */
export function setJitMode(m: JitMode): void {
  mode = m
}

export const jitMode = (): JitMode => mode

const states = new WeakMap<Uint8Array, CodeState>()
const cache = new Map<string, Compiled>()

/** Runs the frame until it stops, halts or suspends, compiled when its code is hot. */
export function runFrame(f: Frame): void {
  // gas above 2^53-1 (pre-Osaka, see gas-meter.ts) stays in the interpreter: compiled code gives
  // a block's unspent gas back to `f.gas` as a number, which must stay exact
  if (mode === 'off' || f.ctx.tracer?.onStep !== undefined || f.reserve !== 0n) return interpret(f)
  const program = programFor(f)
  if (program === undefined) {
    const gas = f.gas
    interpret(f)
    const st = states.get(f.code)
    if (st !== undefined) st.score += Math.max(0, gas - f.gas)
    return
  }
  if (!program(f)) interpret(f)
}

function programFor(f: Frame): Program | undefined {
  const code = f.code
  let st = states.get(code)
  if (st === undefined) {
    st = { score: 0, compiled: undefined, fork: undefined, key: '', failed: false }
    states.set(code, st)
  }
  const entering = f.pc === 0
  if (entering) st.score += CALL_SCORE
  const fork = f.ctx.fork
  const c = st.compiled
  if (c !== undefined && c.live && st.fork === fork) {
    if (entering) touch(st.key, c)
    return c.run
  }
  if (st.failed || (mode === 'auto' && st.score < HOT + HOT_PER_BYTE * code.length) || code.length === 0) return undefined
  if (st.fork !== fork) {
    st.fork = fork
    st.key = `${fork.name}:${hexOf(keccak256(code))}`
  }
  let found = cache.get(st.key)
  if (found === undefined) {
    try {
      found = { run: compile(code, analyze(code), fork).program, live: true }
    } catch {
      st.failed = true
      return undefined
    }
  }
  st.compiled = found
  touch(st.key, found)
  return found.run
}

function touch(key: string, c: Compiled): void {
  cache.delete(key)
  cache.set(key, c)
  if (cache.size > CACHE_SIZE) {
    const [oldest, old] = cache.entries().next().value!
    old.live = false
    cache.delete(oldest)
  }
}

function hexOf(b: Uint8Array): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]
  return s
}

/** Programs in the cache (for tests of the bound). */
export const cachedPrograms = (): number => cache.size
