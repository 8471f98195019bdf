/**
 * 0x05 MODEXP (EIP-198): base^exp mod modulus over big-endian byte strings.
 * Gas: EIP-2565; from Osaka EIP-7883 (min 500, no /3, 16 bits per exponent byte past 32,
 * complexity 16 below 33 bytes, 2·words² above) and EIP-7823 (each length ≤ 1024 bytes).
 */
import { bigintToWord, bytesToBigint } from '../../primitives/index.ts'
import { failure, ok, outOfGas, padded, type Precompile } from './types.ts'

export const MODEXP_MIN_GAS = 200n // EIP-2565
export const MODEXP_MIN_GAS_OSAKA = 500n // EIP-7883
export const MODEXP_MAX_INPUT_LEN = 1024n // EIP-7823

/** Reads `len` bytes at a possibly huge offset, zero-padded. */
function slice(input: Uint8Array, start: bigint, len: number): Uint8Array {
  if (start >= BigInt(input.length)) return new Uint8Array(len)
  return padded(input, Number(start), len)
}

function bitLength(x: bigint): bigint {
  return x === 0n ? 0n : BigInt(x.toString(2).length)
}

export function modexpGas(bLen: bigint, eLen: bigint, mLen: bigint, expHead: bigint, osaka: boolean): bigint {
  const maxLen = bLen > mLen ? bLen : mLen
  const words = (maxLen + 7n) / 8n
  const complexity = osaka ? (maxLen > 32n ? 2n * words * words : 16n) : words * words
  let iter: bigint
  if (eLen <= 32n) iter = expHead === 0n ? 0n : bitLength(expHead) - 1n
  else iter = (osaka ? 16n : 8n) * (eLen - 32n) + (expHead === 0n ? 0n : bitLength(expHead) - 1n)
  if (iter < 1n) iter = 1n
  const gas = osaka ? complexity * iter : (complexity * iter) / 3n
  const min = osaka ? MODEXP_MIN_GAS_OSAKA : MODEXP_MIN_GAS
  return gas > min ? gas : min
}

/** base^exp mod mod, left to right with a fixed 4-bit window (~25% fewer multiplications). */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod <= 1n) return 0n
  base %= mod
  if (exp === 0n) return 1n
  const table: bigint[] = [1n, base]
  for (let i = 2; i < 16; i++) table.push((table[i - 1]! * base) % mod)
  const hex = exp.toString(16)
  let r = table[parseInt(hex[0]!, 16)]!
  for (let i = 1; i < hex.length; i++) {
    r = (r * r) % mod
    r = (r * r) % mod
    r = (r * r) % mod
    r = (r * r) % mod
    const d = parseInt(hex[i]!, 16)
    if (d !== 0) r = (r * table[d]!) % mod
  }
  return r
}

export const modexp: Precompile = (input, gasLimit, fork) => {
  const header = padded(input, 0, 96)
  const bLen = bytesToBigint(header.subarray(0, 32))
  const eLen = bytesToBigint(header.subarray(32, 64))
  const mLen = bytesToBigint(header.subarray(64, 96))
  const osaka = fork.eip7883
  if (osaka && (bLen > MODEXP_MAX_INPUT_LEN || eLen > MODEXP_MAX_INPUT_LEN || mLen > MODEXP_MAX_INPUT_LEN)) {
    return failure(gasLimit)
  }
  const headLen = eLen > 32n ? 32 : Number(eLen)
  const expHead = headLen === 0 ? 0n : bytesToBigint(slice(input, 96n + bLen, headLen))
  const gas = modexpGas(bLen, eLen, mLen, expHead, osaka)
  if (BigInt(gasLimit) < gas) return outOfGas(gasLimit)
  const used = Number(gas)
  if (mLen === 0n) return ok(used, new Uint8Array(0))
  const b = Number(bLen), e = Number(eLen), m = Number(mLen)
  const base = bytesToBigint(slice(input, 96n, b))
  const exp = bytesToBigint(slice(input, 96n + bLen, e))
  const mod = bytesToBigint(slice(input, 96n + bLen + eLen, m))
  return ok(used, bigintToWord(modPow(base, exp, mod), m))
}
