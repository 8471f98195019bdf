import { describe, expect, test } from 'bun:test'
import { keccak256 } from '../../crypto/index.ts'
import { utf8ToBytes } from '../../primitives/index.ts'
import { EMPTY_CODE_HASH } from '../../state/index.ts'
import { StateDiffError } from '../errors.ts'
import type { StateStore } from '../store.ts'
import type { BlockDiff } from '../types.ts'
import { openMemoryStateStore } from './memory.ts'
import { writeRetrying } from './retry.ts'

const h = (label: string) => keccak256(utf8ToBytes(label))
const diff = (n: number): BlockDiff => ({
  direction: 'commit',
  number: BigInt(n),
  hash: h(`b${n}`),
  parentHash: h(n ? `b${n - 1}` : 'none'),
  accounts: [{ address: h('a').subarray(12), before: n ? { nonce: BigInt(n - 1), balance: 1n, codeHash: EMPTY_CODE_HASH } : undefined, after: { nonce: BigInt(n), balance: 1n, codeHash: EMPTY_CODE_HASH }, wiped: false, slots: [] }],
  codes: [],
})

/** A memory store whose server is "away" for the next `down` calls; `commitThenLose` makes the first failing apply write before it fails. */
function flaky(down: number, commitThenLose = false): StateStore & { applies: number } {
  const inner = openMemoryStateStore()
  const away = () => {
    if (down <= 0) return false
    down--
    return true
  }
  const lost = () => new StateDiffError('STORE_UNAVAILABLE', 'flaky: lost the connection')
  const s = {
    ...inner,
    applies: 0,
    head: () => {
      if (away()) throw lost()
      return inner.head()
    },
    apply(d: BlockDiff) {
      if (commitThenLose && down > 0) {
        inner.apply(d)
        s.applies++
        down--
        throw lost()
      }
      if (away()) throw lost()
      inner.apply(d)
      s.applies++
    },
  }
  return s
}

describe('writeRetrying', () => {
  test('waits out an unavailable store with growing waits, then writes the block once', async () => {
    const store = flaky(4)
    const waits: number[] = []
    let recovered: { attempts: number; alreadyApplied: boolean } | undefined
    await writeRetrying(store, diff(0), { firstDelayMs: 1, maxDelayMs: 4, onRetry: (r) => waits.push(r.delayMs), onRecovered: (r) => (recovered = r) })
    expect(waits).toEqual([1, 2, 4, 4])
    expect(recovered).toEqual({ attempts: 4, alreadyApplied: false, downMs: expect.any(Number) } as never)
    expect(store.applies).toBe(1)
    expect((await store.head())?.number).toBe(0n)
  })

  test('a write that reached the store before the connection went is not applied again', async () => {
    const store = flaky(1, true) // the first apply writes, then loses the connection
    let recovered: { alreadyApplied: boolean } | undefined
    await writeRetrying(store, diff(0), { firstDelayMs: 1, onRecovered: (r) => (recovered = r) })
    expect(recovered?.alreadyApplied).toBe(true)
    expect(store.applies).toBe(1)
    await writeRetrying(store, diff(1))
    expect(store.applies).toBe(2)
    expect((await store.head())?.number).toBe(1n)
  })

  test('any other failure, or a consumer stopping, is thrown at once', async () => {
    const broken = { ...openMemoryStateStore(), apply: () => { throw new StateDiffError('STORE_FAILED', 'broken: the disk went away') } }
    await expect(writeRetrying(broken, diff(0), { firstDelayMs: 1 })).rejects.toThrow('the disk went away')
    const away = flaky(100)
    let tries = 0
    await expect(writeRetrying(away, diff(0), { firstDelayMs: 1, onRetry: () => tries++, stopped: () => tries >= 2 })).rejects.toThrow('flaky: lost the connection')
    expect(tries).toBe(2)
  })
})
