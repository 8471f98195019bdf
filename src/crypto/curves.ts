/**
 * The pairing-friendly and NIST curves the EVM's precompiles need (bn254 for EIP-196/197,
 * bls12-381 for EIP-2537 and KZG, p256 for EIP-7951), from @noble/curves. This module is the
 * one seam where a native backend (blst, c-kzg, a bn254 crate) replaces them.
 */
export { bn254 } from '@noble/curves/bn254.js'
export { bls12_381 } from '@noble/curves/bls12-381.js'
export { p256 } from '@noble/curves/nist.js'
export { pippenger } from '@noble/curves/abstract/curve.js'
