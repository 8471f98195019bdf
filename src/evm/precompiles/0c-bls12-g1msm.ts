/** 0x0c BLS12_G1MSM (EIP-2537): k·12000·discount(k)/1000 gas; points must be in G1. */
import { pippenger } from '../../crypto/index.ts'
import { bytesToBigint } from '../../primitives/index.ts'
import { BLS12_G1MSM_MUL_GAS, G1, G1_MSM_DISCOUNT, R, decodeG1, encodeG1, msmGas, runBls, type G1P } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsG1Msm: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % 160 !== 0) return failure(gasLimit)
  const k = input.length / 160
  return runBls(gasLimit, msmGas(k, BLS12_G1MSM_MUL_GAS, G1_MSM_DISCOUNT), () => {
    const points: G1P[] = []
    const scalars: bigint[] = []
    for (let i = 0; i < k; i++) {
      const p = decodeG1(input.subarray(i * 160, i * 160 + 128), true)
      if (!p) return undefined
      const s = bytesToBigint(input.subarray(i * 160 + 128, i * 160 + 160)) % R
      if (s !== 0n && !p.is0()) {
        points.push(p)
        scalars.push(s)
      }
    }
    const acc = points.length === 0 ? G1.Point.ZERO : points.length === 1 ? points[0]!.multiplyUnsafe(scalars[0]!) : pippenger(G1.Point, points, scalars)
    return encodeG1(acc)
  })
}
