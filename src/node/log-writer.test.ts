import { expect, test } from 'bun:test'
import { batchedWriter } from './log-writer.ts'

test('lines within the delay go out in one write, in order; flush writes at once', async () => {
  const writes: string[] = []
  const w = batchedWriter((t) => writes.push(t), 10)
  w.write('a\n')
  w.write('b\n')
  expect(writes).toEqual([])
  await Bun.sleep(30)
  expect(writes).toEqual(['a\nb\n'])
  w.write('c\n')
  w.flush()
  expect(writes).toEqual(['a\nb\n', 'c\n'])
  w.flush()
  await Bun.sleep(30)
  expect(writes).toEqual(['a\nb\n', 'c\n'])
})

test('a burst past the held limit is written without waiting', () => {
  const writes: string[] = []
  const w = batchedWriter((t) => writes.push(t), 10_000)
  const line = `${'x'.repeat(1023)}\n`
  for (let i = 0; i < 64; i++) w.write(line)
  expect(writes.length).toBe(1)
  expect(writes[0]!.length).toBe(64 * 1024)
  w.flush()
})
