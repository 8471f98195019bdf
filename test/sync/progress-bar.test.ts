/** The sync component's terminal bar: its text from eth_syncing's progress, and its blocks/s over a window. */
import { expect, test } from 'bun:test'
import { blockRate, syncStatusText } from '../../src/profiles/components/sync.ts'

test('the bar counts blocks from the sync\'s first block, with blocks/s and the time left', () => {
  expect(syncStatusText({ startingBlock: 1000n, currentBlock: 1766n, highestBlock: 3000n }, 350)).toBe(
    'Syncing [=========>              ] 766/2,000 blocks 38.3%  350.0 blocks/s  left 4s',
  )
  // before the target's number is known the head stands in for it
  expect(syncStatusText({ startingBlock: 2000n, currentBlock: 2000n, highestBlock: 2000n }, 0)).toBe('Syncing [                        ] waiting for the target\'s headers')
  expect(syncStatusText({ startingBlock: 0n, currentBlock: 0n, highestBlock: 10n }, 0)).toBe('Syncing [                        ] 0/10 blocks 0.0%  0.0 blocks/s  left unknown')
})

test('blocks/s over the last window of samples', () => {
  const r = blockRate(10_000)
  expect(r.sample(0, 0n)).toBe(0)
  expect(r.sample(1000, 100n)).toBe(100)
  // the first sample fell out of the window: 1000 → 20000
  expect(r.sample(20_000, 200n)).toBeCloseTo(100 / 19, 6)
  expect(r.sample(21_000, 1100n)).toBe(50)
  r.reset()
  expect(r.sample(22_000, 1100n)).toBe(0)
})
