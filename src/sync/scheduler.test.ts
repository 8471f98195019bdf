/** The sync scheduler: best throughput first, room per peer, exclusions, new peers tried soon. */
import { expect, test } from 'bun:test'
import { createScheduler } from './scheduler.ts'

test('the fastest peer with room is picked; a busy peer shares its rate', () => {
  const s = createScheduler({ maxInFlight: 2 })
  s.add('slow')
  s.add('fast')
  s.started('slow')
  s.finished('slow', 10, 1000) // 10/s
  s.started('fast')
  s.finished('fast', 100, 1000) // 100/s
  expect(s.pick()?.key).toBe('fast')
  s.started('fast')
  expect(s.pick()?.key).toBe('fast') // 100/2 still beats 10
  s.started('fast')
  expect(s.pick()?.key).toBe('slow') // fast is full
  s.started('slow')
  s.started('slow')
  expect(s.pick()).toBeUndefined()
})

test('exclusions, removal, and a new peer starting at the best rate seen', () => {
  const s = createScheduler({ maxInFlight: 1 })
  s.add('a')
  s.started('a')
  s.finished('a', 50, 1000)
  expect(s.pick((k) => k === 'a')).toBeUndefined()
  s.add('b')
  s.started('a') // a busy: b, unmeasured, is tried
  expect(s.pick()?.key).toBe('b')
  s.remove('b')
  expect(s.pick()).toBeUndefined()
  expect(s.peers.get('a')?.delivered).toBe(50)
})

test('the rate is a moving average: one slow answer does not bury a fast peer', () => {
  const s = createScheduler({ maxInFlight: 4 })
  s.add('p')
  s.started('p')
  s.finished('p', 100, 1000)
  s.started('p')
  s.finished('p', 0, 10_000)
  expect(s.peers.get('p')!.rate).toBeCloseTo(70, 5)
})
