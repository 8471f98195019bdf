import { expect, test } from 'bun:test'
import { readWord, writeWord } from './words.ts'

test('readWord and writeWord round-trip every fast path and the general one', () => {
  const view = new DataView(new ArrayBuffer(64))
  const M = (1n << 256n) - 1n
  const words = [0n, 1n, 0x1fffffffffffffn, 0x20000000000000n, (1n << 64n) - 1n, (1n << 128n) - 1n, 1n << 128n, (1n << 160n) - 1n, (1n << 192n) - 1n, 1n << 192n, 1n << 255n, M, M - 5n, M - 0x1fffffffffffffn, M - 0x20000000000000n]
  for (const w of words) {
    writeWord(view, 16, w)
    expect(readWord(view, 16)).toBe(w)
    // the bytes are big-endian
    let x = 0n
    for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(view.getUint8(16 + i))
    expect(x).toBe(w)
  }
})
