import { expect, test } from 'bun:test'
import { startDiscoveryLoop, type LookupSource } from './discovery-loop.ts'

function fakeSource(size: () => number, ms = 0) {
  const calls: string[] = []
  const src: LookupSource = {
    bootstrap: async () => {
      calls.push('bootstrap')
      await Bun.sleep(ms)
    },
    lookup: async () => {
      calls.push('lookup')
      await Bun.sleep(ms)
    },
    size,
  }
  return { calls, src }
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await Bun.sleep(2)
  return cond()
}

test('bootstraps, then looks up random targets; stop() clears the timer', async () => {
  const { calls, src } = fakeSource(() => 5)
  const loop = startDiscoveryLoop(src, { intervalMs: 5 })
  expect(calls).toEqual(['bootstrap'])
  expect(await until(() => calls.length >= 4)).toBe(true)
  expect(calls.slice(1).every((c) => c === 'lookup')).toBe(true)
  loop.stop()
  await Bun.sleep(10) // let a run started just before stop() settle
  const n = calls.length
  await Bun.sleep(30)
  expect(calls.length).toBe(n)
})

test('an empty table is bootstrapped again', async () => {
  let size = 0
  const { calls, src } = fakeSource(() => size)
  const loop = startDiscoveryLoop(src, { intervalMs: 5 })
  expect(await until(() => calls.length >= 3)).toBe(true)
  expect(calls.slice(0, 3)).toEqual(['bootstrap', 'bootstrap', 'bootstrap'])
  size = 3
  expect(await until(() => calls.at(-1) === 'lookup')).toBe(true)
  loop.stop()
})

test('no overlapping runs, and nothing while not wanted', async () => {
  let wanted = true
  const { calls, src } = fakeSource(() => 1, 40)
  const loop = startDiscoveryLoop(src, { intervalMs: 5, wanted: () => wanted })
  await Bun.sleep(30) // several ticks inside the first 40 ms run
  expect(calls).toEqual(['bootstrap'])
  wanted = false
  await Bun.sleep(60)
  expect(calls).toEqual(['bootstrap'])
  wanted = true
  expect(await until(() => calls.length === 2)).toBe(true)
  loop.stop()
})
