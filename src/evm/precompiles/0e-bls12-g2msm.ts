/** 0x0e BLS12_G2MSM (EIP-2537): k·22500·discount(k)/1000 gas; points must be in G2. */
import { pippenger } from '../../crypto/index.ts'
import { bytesToBigint } from '../../primitives/index.ts'
import { BLS12_G2MSM_MUL_GAS, G2, G2_MSM_DISCOUNT, R, decodeG2, encodeG2, msmGas, runBls, type G2P } from './bls12-381.ts'
import { failure, type Precompile } from './types.ts'

export const blsG2Msm: Precompile = (input, gasLimit) => {
  if (input.length === 0 || input.length % 288 !== 0) return failure(gasLimit)
  const k = input.length / 288
  return runBls(gasLimit, msmGas(k, BLS12_G2MSM_MUL_GAS, G2_MSM_DISCOUNT), () => {
    const points: G2P[] = []
    const scalars: bigint[] = []
    for (let i = 0; i < k; i++) {
      const p = decodeG2(input.subarray(i * 288, i * 288 + 256), true)
      if (!p) return undefined
      const s = bytesToBigint(input.subarray(i * 288 + 256, i * 288 + 288)) % R
      if (s !== 0n && !p.is0()) {
        points.push(p)
        scalars.push(s)
      }
    }
    const acc = points.length === 0 ? G2.Point.ZERO : points.length === 1 ? points[0]!.multiplyUnsafe(scalars[0]!) : pippenger(G2.Point, points, scalars)
    return encodeG2(acc)
  })
}
