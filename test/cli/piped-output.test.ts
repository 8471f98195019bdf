/**
 * A tool's output through a pipe arrives whole whatever its size and however slowly it is read:
 * the process must not exit while stdout still holds data (Bun keeps what the 64 KiB pipe buffer
 * cannot take). A reader that goes away early (`| head -c`) ends the writer with status 141
 * (EPIPE, as a tool killed by SIGPIPE), not 0 and not a stack trace.
 *
 * Each command gets several MiB of output from a generated input: a real fixture repeated
 * under long names (statetest, txtest, blocktest), a pre-state of many accounts (t8n).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EPIPE_EXIT } from '../../src/cli/exit.ts'
import { describeFixtures } from '../fixtures.ts'
import { CANCUN_ENV } from '../t8n/run.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
/** Every output below is at least this large. */
const MIN_BYTES = 3 * 1024 * 1024

interface Piped {
  bytes: number
  text: string
  code: number
  stderr: string
}

/**
 * Runs `mosaic ARGS | READER` in a shell, as a user piping into a slow reader: the reader starts
 * only after the pipe has filled and the writer would have exited. The exit code is mosaic's
 * (pipefail). `stream` picks which of mosaic's streams goes into the pipe.
 */
async function piped(args: string[], reader: string, stream: 'stdout' | 'stderr' = 'stdout', stdin?: string): Promise<Piped> {
  const redirect = stream === 'stdout' ? '2>"$ERRFILE"' : '2>&1 >/dev/null'
  const errFile = join(work, `stderr-${Math.random().toString(36).slice(2)}`)
  const cmd = `set -o pipefail; "$0" "$@" ${redirect} < "\${INFILE:-/dev/null}" | ${reader}`
  const env = { ...process.env, ERRFILE: errFile, ...(stdin ? { INFILE: stdin } : {}) }
  const proc = Bun.spawn(['bash', '-c', cmd, MOSAIC, ...args], { stdout: 'pipe', stderr: 'ignore', env })
  const out = new Uint8Array(await new Response(proc.stdout).arrayBuffer())
  const code = await proc.exited
  let stderr = ''
  try {
    stderr = readFileSync(errFile, 'utf8')
  } catch {}
  return { bytes: out.length, text: new TextDecoder().decode(out), code, stderr }
}

const SLOW = '(sleep 2; cat)'
const EARLY_CLOSE = '(sleep 1; head -c 1000)'

let work = ''
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mosaic-piped-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A fixture file holding `copies` copies of the one test in `src`, under long distinct names. */
function repeated(src: string, copies: number, padding: number): string {
  const tests = JSON.parse(readFileSync(src, 'utf8')) as Record<string, unknown>
  const [name, body] = Object.entries(tests)[0]!
  const out: Record<string, unknown> = {}
  for (let i = 0; i < copies; i++) out[`${name}_${i}_${'x'.repeat(padding)}`] = body
  const file = join(work, `${name}-x${copies}.json`)
  writeFileSync(file, JSON.stringify(out))
  return file
}

const FIXTURES: { command: string; parts: string[]; copies: number; padding: number }[] = [
  { command: 'statetest', parts: ['ethereum-tests', 'GeneralStateTests', 'stStaticCall', 'static_CallSha256_1.json'], copies: 1000, padding: 4000 },
  // one file gives several results (one per fork)
  { command: 'txtest', parts: ['ethereum-tests', 'TransactionTests', 'ttNonce', 'TransactionWithHighNonce32.json'], copies: 100, padding: 4000 },
  { command: 'blocktest', parts: ['ethereum-tests', 'BlockchainTests', 'ValidBlocks', 'bcStateTests', 'randomStatetest377.json'], copies: 800, padding: 4500 },
]

for (const f of FIXTURES) {
  describeFixtures(`${f.command} --json through a pipe`, f.parts, (src) => {
    test(`several MiB read late arrive whole and parse; an early close exits ${EPIPE_EXIT}`, async () => {
      const file = repeated(src, f.copies, f.padding)
      const slow = await piped([f.command, '--json', file], SLOW)
      expect(slow.stderr).toBe('')
      expect(slow.code).toBe(0)
      expect(slow.bytes).toBeGreaterThan(MIN_BYTES)
      const results = JSON.parse(slow.text) as { pass: boolean }[]
      expect(results.length).toBeGreaterThanOrEqual(f.copies)
      expect(results.every((r) => r.pass)).toBe(true)

      const early = await piped([f.command, '--json', file], EARLY_CLOSE)
      expect(early.bytes).toBe(1000)
      expect(early.code).toBe(EPIPE_EXIT)
      expect(early.stderr).toBe('')
    }, 180_000)
  })
}

describe('t8n outputs through a pipe', () => {
  /** A pre-state of 12,000 accounts with code and storage: its post-state alloc is several MiB. */
  function bigInput(): string {
    const alloc: Record<string, unknown> = {}
    for (let i = 1; i <= 12_000; i++) {
      const storage: Record<string, string> = {}
      for (let s = 1; s <= 4; s++) storage[`0x${s.toString(16).padStart(64, '0')}`] = `0x${(i * 7 + s).toString(16).padStart(64, '0')}`
      alloc[`0x${i.toString(16).padStart(40, '0')}`] = { balance: `0x${(i * 1000).toString(16)}`, nonce: '0x1', code: '0x6001600155', storage }
    }
    const file = join(work, 't8n-input.json')
    writeFileSync(file, JSON.stringify({ alloc, env: CANCUN_ENV, txs: [] }))
    return file
  }
  const flags = (alloc: string) => ['t8n', '--input.alloc=stdin', '--input.env=stdin', '--input.txs=stdin', '--output.result=', `--output.alloc=${alloc}`, '--state.fork=Cancun', '--state.reward=-1']

  for (const stream of ['stdout', 'stderr'] as const) {
    test(`--output.alloc ${stream}: several MiB read late arrive whole; an early close exits ${EPIPE_EXIT}`, async () => {
      const input = bigInput()
      const slow = await piped(flags(stream), SLOW, stream, input)
      expect(slow.code).toBe(0)
      expect(slow.bytes).toBeGreaterThan(MIN_BYTES)
      const out = JSON.parse(slow.text) as { alloc: Record<string, unknown> }
      expect(Object.keys(out.alloc).length).toBe(12_000)

      const early = await piped(flags(stream), EARLY_CLOSE, stream, input)
      expect(early.bytes).toBe(1000)
      expect(early.code).toBe(EPIPE_EXIT)
    }, 180_000)
  }
})

describeFixtures('piped enginetest --json output', ['ethereum-tests', 'BlockchainTests'], (dir) => {
  test('enginetest --from-blocktests --json over 64 KiB parses whole when read late', async () => {
    const { text, code } = await piped(['enginetest', '--from-blocktests', '--json', dir], SLOW)
    expect(text.length).toBeGreaterThan(64 * 1024)
    expect((JSON.parse(text) as unknown[]).length).toBeGreaterThan(450)
    expect(code).toBe(0)
  }, 120_000)
})

test('components --json through a pipe parses', async () => {
  const { text, code } = await piped(['components', '--json'], SLOW)
  expect(code).toBe(0)
  expect(Array.isArray(JSON.parse(text))).toBe(true)
}, 60_000)
