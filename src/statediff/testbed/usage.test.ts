import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EMPTY_CODE_HASH, encodeFlatAccount } from '../../state/index.ts'
import { threadsUsage } from '../proc-usage.ts'
import type { BlockDiff } from '../types.ts'
import { CallUsage, diffLogicalBytes } from './usage.ts'

const dir = mkdtempSync(join(tmpdir(), 'mosaic-usage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const linux = process.platform === 'linux'

describe('CallUsage', () => {
  test.skipIf(!linux)('counts the CPU and the bytes written of the calls it measures, and nothing of the work between them', async () => {
    const u = new CallUsage()
    writeFileSync(join(dir, 'outside'), new Uint8Array(4 << 20)) // not measured
    await u.measure(() => writeFileSync(join(dir, 'inside'), new Uint8Array(1 << 20)))
    await u.measure(() => {
      let x = 0
      for (let i = 0; i < 5e6; i++) x += i % 7
      return x
    })
    expect(u.calls).toBe(2)
    expect(u.wchar).toBeGreaterThanOrEqual(1 << 20)
    expect(u.wchar).toBeLessThan(2 << 20) // the 4 MiB written outside are not in it
    expect(u.cpuMs).toBeGreaterThan(0)
    // an asynchronous call: CPU and writes counted, no RSS growth (other code runs while it waits)
    const before = u.rssGrowthBytes
    await u.measure(async () => {
      await Bun.sleep(5)
      return new Uint8Array(8 << 20).fill(1)
    })
    expect(u.rssGrowthBytes).toBe(before)
  })

  test.skipIf(!linux)('threads are found by name', () => {
    expect(threadsUsage('no-such-thread:').threads).toBe(0)
    expect(threadsUsage('').threads).toBeGreaterThan(0)
  })
})

test('diffLogicalBytes: keys and values in the flat tables\' units', () => {
  const after = { nonce: 1n, balance: 1000n, codeHash: EMPTY_CODE_HASH }
  const d: BlockDiff = {
    direction: 'commit',
    number: 1n,
    hash: new Uint8Array(32),
    parentHash: new Uint8Array(32),
    accounts: [
      { address: new Uint8Array(20), before: undefined, after, wiped: false, slots: [[1n, 0n, 0x1234n], [2n, 5n, 0n]] },
      { address: new Uint8Array(20).fill(1), before: after, after: undefined, wiped: true, slots: [] },
    ],
    codes: [{ hash: new Uint8Array(32), code: new Uint8Array(10) }],
  }
  expect(diffLogicalBytes(d)).toBe(32 + 10 + (20 + encodeFlatAccount(after).length) + (52 + 2) + 52 + 20)
})
