/** 0x09 BLAKE2 F compression (EIP-152): 213-byte input, 1 gas per round. */
import { failure, ok, outOfGas, type Precompile } from './types.ts'

export const BLAKE2F_ROUND_GAS = 1
export const BLAKE2F_INPUT_LENGTH = 213

// BLAKE2b IV as (lo, hi) 32-bit halves
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
])
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]

/** v[a] += v[b] (64-bit, as lo/hi pairs at even/odd indices). */
function add64(v: Uint32Array, a: number, b: number): void {
  const lo = v[a]! + v[b]!
  v[a + 1] = v[a + 1]! + v[b + 1]! + (lo >= 0x100000000 ? 1 : 0)
  v[a] = lo
}

function add64c(v: Uint32Array, a: number, lo0: number, hi0: number): void {
  const lo = v[a]! + lo0
  v[a + 1] = v[a + 1]! + hi0 + (lo >= 0x100000000 ? 1 : 0)
  v[a] = lo
}

function g(v: Uint32Array, m: Uint32Array, a: number, b: number, c: number, d: number, x: number, y: number): void {
  add64(v, a, b)
  add64c(v, a, m[x]!, m[x + 1]!)
  let lo = v[d]! ^ v[a]!, hi = v[d + 1]! ^ v[a + 1]!
  v[d] = hi // rotr 32
  v[d + 1] = lo
  add64(v, c, d)
  lo = v[b]! ^ v[c]!
  hi = v[b + 1]! ^ v[c + 1]!
  v[b] = (lo >>> 24) ^ (hi << 8) // rotr 24
  v[b + 1] = (hi >>> 24) ^ (lo << 8)
  add64(v, a, b)
  add64c(v, a, m[y]!, m[y + 1]!)
  lo = v[d]! ^ v[a]!
  hi = v[d + 1]! ^ v[a + 1]!
  v[d] = (lo >>> 16) ^ (hi << 16) // rotr 16
  v[d + 1] = (hi >>> 16) ^ (lo << 16)
  add64(v, c, d)
  lo = v[b]! ^ v[c]!
  hi = v[b + 1]! ^ v[c + 1]!
  v[b] = (hi >>> 31) ^ (lo << 1) // rotr 63
  v[b + 1] = (lo >>> 31) ^ (hi << 1)
}

/** The F function on h (16 words), m (32 words), t (4 words) as lo/hi pairs; h is updated. */
export function blake2bF(rounds: number, h: Uint32Array, m: Uint32Array, t: Uint32Array, final: boolean): void {
  const v = new Uint32Array(32)
  v.set(h, 0)
  v.set(IV, 16)
  v[24]! ^= t[0]!
  v[25]! ^= t[1]!
  v[26]! ^= t[2]!
  v[27]! ^= t[3]!
  if (final) {
    v[28] = ~v[28]!
    v[29] = ~v[29]!
  }
  for (let i = 0; i < rounds; i++) {
    const s = SIGMA[i % 10]!
    g(v, m, 0, 8, 16, 24, s[0]! * 2, s[1]! * 2)
    g(v, m, 2, 10, 18, 26, s[2]! * 2, s[3]! * 2)
    g(v, m, 4, 12, 20, 28, s[4]! * 2, s[5]! * 2)
    g(v, m, 6, 14, 22, 30, s[6]! * 2, s[7]! * 2)
    g(v, m, 0, 10, 20, 30, s[8]! * 2, s[9]! * 2)
    g(v, m, 2, 12, 22, 24, s[10]! * 2, s[11]! * 2)
    g(v, m, 4, 14, 16, 26, s[12]! * 2, s[13]! * 2)
    g(v, m, 6, 8, 18, 28, s[14]! * 2, s[15]! * 2)
  }
  for (let i = 0; i < 16; i++) h[i] = h[i]! ^ v[i]! ^ v[i + 16]!
}

function readU32s(b: Uint8Array, start: number, count: number): Uint32Array {
  const dv = new DataView(b.buffer, b.byteOffset + start, count * 4)
  const out = new Uint32Array(count)
  for (let i = 0; i < count; i++) out[i] = dv.getUint32(i * 4, true)
  return out
}

export const blake2f: Precompile = (input, gasLimit) => {
  if (input.length !== BLAKE2F_INPUT_LENGTH) return failure(gasLimit)
  const rounds = new DataView(input.buffer, input.byteOffset, 4).getUint32(0, false)
  const gas = BLAKE2F_ROUND_GAS * rounds
  if (gasLimit < gas) return outOfGas(gasLimit)
  const flag = input[212]
  if (flag !== 0 && flag !== 1) return failure(gasLimit)
  const h = readU32s(input, 4, 16)
  blake2bF(rounds, h, readU32s(input, 68, 32), readU32s(input, 196, 4), flag === 1)
  const out = new Uint8Array(64)
  const dv = new DataView(out.buffer)
  for (let i = 0; i < 16; i++) dv.setUint32(i * 4, h[i]!, true)
  return ok(gas, out)
}
