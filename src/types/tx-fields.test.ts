import { expect, test } from 'bun:test'
import { bytesToBigint } from '../primitives/index.ts'
import { uintFromBytes } from './tx-fields.ts'

test('uintFromBytes equals bytesToBigint at every width up to 40 bytes', () => {
  for (let n = 0; n <= 40; n++) {
    for (const fill of [0x01, 0x7f, 0x80, 0xff]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (fill + i * 53) & 0xff)
      expect(uintFromBytes(b)).toBe(bytesToBigint(b))
      // Views at an offset read the right bytes.
      const padded = new Uint8Array(n + 3)
      padded.set(b, 3)
      expect(uintFromBytes(padded.subarray(3))).toBe(bytesToBigint(b))
    }
  }
})
