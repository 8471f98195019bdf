/** 0x01 ECRECOVER: (hash, v, r, s) → left-padded signer address, or empty output if invalid. */
import { recoverAddress } from '../../crypto/index.ts'
import { bytesToBigint } from '../../primitives/index.ts'
import { ok, outOfGas, padded, type Precompile } from './types.ts'

export const ECRECOVER_GAS = 3000
const EMPTY = new Uint8Array(0)

export const ecrecover: Precompile = (input, gasLimit) => {
  if (gasLimit < ECRECOVER_GAS) return outOfGas(gasLimit)
  const d = padded(input, 0, 128)
  const v = bytesToBigint(d.subarray(32, 64))
  if (v !== 27n && v !== 28n) return ok(ECRECOVER_GAS, EMPTY)
  const addr = recoverAddress(d.subarray(0, 32), {
    r: bytesToBigint(d.subarray(64, 96)),
    s: bytesToBigint(d.subarray(96, 128)),
    yParity: Number(v - 27n),
  })
  if (!addr) return ok(ECRECOVER_GAS, EMPTY)
  const out = new Uint8Array(32)
  out.set(addr, 12)
  return ok(ECRECOVER_GAS, out)
}
