/** Memory word access: the fast paths for small and small negative words agree with the full one. */
import { describe, expect, test } from 'bun:test'
import { addressToWord, readWord, wordToAddress, writeWord } from './words.ts'

const M = (1n << 256n) - 1n
const EDGES = [0n, 1n, 255n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 255n, M, M - 1n, M - (2n ** 53n - 1n), M - 2n ** 53n, M - 2n ** 32n, M - (2n ** 32n - 1n), M - 2n ** 200n]

function slow(view: DataView, off: number): bigint {
  let x = 0n
  for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(view.getUint8(off + i))
  return x
}

describe('memory words', () => {
  test('write then read round-trips, byte-exact, at unaligned offsets', () => {
    const view = new DataView(new ArrayBuffer(96))
    let seed = 7n
    const randoms = Array.from({ length: 200 }, () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & M
      return seed >> BigInt(Number(seed & 255n))
    })
    for (const v of [...EDGES, ...randoms]) {
      for (const off of [0, 3, 33]) {
        new Uint8Array(view.buffer).fill(0xaa)
        writeWord(view, off, v)
        expect(slow(view, off)).toBe(v)
        expect(readWord(view, off)).toBe(v)
        expect(view.getUint8(off + 32)).toBe(0xaa)
      }
    }
  })
})

describe('word to address', () => {
  test('keeps the low 20 bytes of any word', () => {
    const words = [0n, 1n, (1n << 160n) - 1n, 1n << 160n, M, 0xdeadbeefn << 100n, 0x0123456789abcdef0123456789abcdef01234567n | (0xffn << 200n)]
    for (const w of words) expect(addressToWord(wordToAddress(w))).toBe(w & ((1n << 160n) - 1n))
  })
})
