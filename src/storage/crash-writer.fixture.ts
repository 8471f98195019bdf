/**
 * Child process of the crash-safety test (rocks-crash.test.ts): writes batches in a loop until
 * it is killed. Batch `i` writes the counter key and KEYS keys whose values all start with `i`,
 * then prints `i` (so the parent knows `i` was acknowledged).
 * Usage: bun crash-writer.fixture.ts DIR
 */
import { decodeNumber, encodeNumber, openRocksStore } from './index.ts'

export const KEYS = 100
export const COUNTER = new TextEncoder().encode('counter')
export const itemKey = (j: number) => new Uint8Array([0x78, j >> 8, j & 0xff])

if (import.meta.main) {
  const db = await openRocksStore(process.argv[2]!)
  const stored = db.get(COUNTER)
  let i = stored ? Number(decodeNumber(stored)) : 0
  const filler = new Uint8Array(92).fill(0xab)
  const batch = db.batch()
  for (;;) {
    i++
    const counter = encodeNumber(i)
    batch.put(COUNTER, counter)
    for (let j = 0; j < KEYS; j++) batch.put(itemKey(j), new Uint8Array([...counter, ...filler]))
    batch.write()
    process.stdout.write(`${i}\n`)
  }
}
