/** Precompile sets per fork, keyed by the address's low two bytes. */
import type { Address } from '../../primitives/index.ts'
import type { Fork } from '../frame.ts'
import type { Precompile } from './types.ts'
import { ecrecover } from './01-ecrecover.ts'
import { sha256 } from './02-sha256.ts'
import { ripemd160 } from './03-ripemd160.ts'
import { identity } from './04-identity.ts'
import { modexp } from './05-modexp.ts'
import { bn254Add } from './06-bn254-add.ts'
import { bn254Mul } from './07-bn254-mul.ts'
import { bn254PairingCheck } from './08-bn254-pairing.ts'
import { blake2f } from './09-blake2f.ts'
import { pointEvaluation } from './0a-point-evaluation.ts'
import { blsG1Add } from './0b-bls12-g1add.ts'
import { blsG1Msm } from './0c-bls12-g1msm.ts'
import { blsG2Add } from './0d-bls12-g2add.ts'
import { blsG2Msm } from './0e-bls12-g2msm.ts'
import { blsPairing } from './0f-bls12-pairing.ts'
import { blsMapFpToG1 } from './10-bls12-map-fp-to-g1.ts'
import { blsMapFp2ToG2 } from './11-bls12-map-fp2-to-g2.ts'
import { p256verify } from './100-p256verify.ts'

export type { Precompile, PrecompileResult } from './types.ts'

export const PARIS_PRECOMPILES: ReadonlyMap<number, Precompile> = new Map([
  [0x01, ecrecover],
  [0x02, sha256],
  [0x03, ripemd160],
  [0x04, identity],
  [0x05, modexp],
  [0x06, bn254Add],
  [0x07, bn254Mul],
  [0x08, bn254PairingCheck],
  [0x09, blake2f],
])
/** EIP-4844. */
export const CANCUN_PRECOMPILES: ReadonlyMap<number, Precompile> = new Map([[0x0a, pointEvaluation]])
/** EIP-2537. */
export const PRAGUE_PRECOMPILES: ReadonlyMap<number, Precompile> = new Map([
  [0x0b, blsG1Add],
  [0x0c, blsG1Msm],
  [0x0d, blsG2Add],
  [0x0e, blsG2Msm],
  [0x0f, blsPairing],
  [0x10, blsMapFpToG1],
  [0x11, blsMapFp2ToG2],
])
/** EIP-7951. */
export const OSAKA_PRECOMPILES: ReadonlyMap<number, Precompile> = new Map([[0x100, p256verify]])

/** The precompile at `address` under `fork`, if any. */
export function lookupPrecompile(fork: Fork, address: Address): Precompile | undefined {
  for (let i = 0; i < 18; i++) if (address[i] !== 0) return undefined
  return fork.precompiles.get((address[18]! << 8) | address[19]!)
}

const addressesByFork = new WeakMap<Fork, readonly Address[]>()

/**
 * Addresses of the fork's precompiles (the executor warms them, EIP-2929). The same arrays on
 * every call: the state keys addresses by object, and this runs once per transaction.
 */
export function precompileAddresses(fork: Fork): readonly Address[] {
  let list = addressesByFork.get(fork)
  if (!list) {
    list = [...fork.precompiles.keys()].map((k) => {
      const a = new Uint8Array(20)
      a[18] = k >> 8
      a[19] = k & 0xff
      return a
    })
    addressesByFork.set(fork, list)
  }
  return list
}
