/**
 * A tool's --json output through a pipe whose reader is slow arrives whole: the process must not
 * exit while stdout still holds data (Bun keeps what the 64 KiB pipe buffer cannot take).
 */
import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { describeFixtures } from '../fixtures.ts'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')

/**
 * Runs `mosaic ARGS | (sleep 1; cat)` in a shell, as a user piping into a slow reader: the reader
 * starts only after the pipe has filled and the writer would have exited. The exit code is
 * mosaic's (pipefail).
 */
async function slowRead(args: string[]): Promise<{ text: string; code: number }> {
  const cmd = `set -o pipefail; "$0" "$@" 2>/dev/null | (sleep 1; cat)`
  const proc = Bun.spawn(['bash', '-c', cmd, MOSAIC, ...args], { stdout: 'pipe', stderr: 'ignore' })
  const text = await new Response(proc.stdout).text()
  return { text, code: await proc.exited }
}

describeFixtures('piped --json output', ['ethereum-tests', 'GeneralStateTests'], (dir) => {
  test('statetest --json over 64 KiB parses whole when read late', async () => {
    const paths = ['stRandom', 'stMemoryTest', 'stCallCodes'].map((d) => join(dir, d))
    const { text, code } = await slowRead(['statetest', '--json', ...paths])
    expect(text.length).toBeGreaterThan(128 * 1024)
    const results = JSON.parse(text) as { pass: boolean }[]
    expect(results.length).toBeGreaterThan(500)
    expect(code).toBe(0)
  }, 120_000)
})

describeFixtures('piped enginetest --json output', ['ethereum-tests', 'BlockchainTests'], (dir) => {
  test('enginetest --from-blocktests --json over 64 KiB parses whole when read late', async () => {
    const { text, code } = await slowRead(['enginetest', '--from-blocktests', '--json', dir])
    expect(text.length).toBeGreaterThan(64 * 1024)
    expect((JSON.parse(text) as unknown[]).length).toBeGreaterThan(450)
    expect(code).toBe(0)
  }, 120_000)
})

test('components --json through a pipe parses', async () => {
  const { text, code } = await slowRead(['components', '--json'])
  expect(code).toBe(0)
  expect(Array.isArray(JSON.parse(text))).toBe(true)
}, 60_000)
