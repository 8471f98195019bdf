/** The sync log line's speeds and time left. */
import { expect, test } from 'bun:test'
import { createProgressMeter, formatDuration } from './progress.ts'

test('blocks/s, Mgas/s over the interval and the time left at that pace', () => {
  let now = 0
  const m = createProgressMeter(() => now)
  for (let i = 0; i < 50; i++) m.imported(2_000_000n)
  now = 5000
  expect(m.report(600n)).toEqual({ bps: '10.0', mgas: '20.00', eta: '1m00s' })
  now = 6000
  expect(m.report(600n)).toEqual({ bps: '0.0', mgas: '0.00', eta: 'unknown' })
  expect([formatDuration(42), formatDuration(3599), formatDuration(7300)]).toEqual(['42s', '59m59s', '2h01m'])
})
