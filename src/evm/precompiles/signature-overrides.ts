/**
 * A node's ecrecover overrides (anvil_impersonateSignature): a 65-byte signature r || s || v
 * (v the last byte of ECRECOVER's v word, 27 or 28) that recovers to a chosen address. The
 * ECRECOVER precompile of a fork derived here, and EIP-7702 authority recovery (the executor),
 * consult them first. The table is the node's, reached through the host (`EnvHost.signatures`):
 * no global, and executions without one run the plain fork.
 */
import { bytesToHex, type Address } from '../../primitives/index.ts'
import type { Fork } from '../frame.ts'
import type { SignatureOverrides } from '../host.ts'
import { ecrecover, ECRECOVER_GAS } from './01-ecrecover.ts'
import { ok, outOfGas, padded, type Precompile } from './types.ts'


/** The 65-byte key of an (r, s, v) triple. */
export function signatureKey(r: Uint8Array, s: Uint8Array, v: number): Uint8Array {
  const sig = new Uint8Array(65)
  sig.set(r, 0)
  sig.set(s, 32)
  sig[64] = v
  return sig
}

/** ECRECOVER with the overrides first, priced as ECRECOVER (anvil's cheat precompile). */
function ecrecoverWith(overrides: SignatureOverrides): Precompile {
  return (input, gasLimit, fork) => {
    if (overrides.size === 0) return ecrecover(input, gasLimit, fork)
    if (gasLimit < ECRECOVER_GAS) return outOfGas(gasLimit)
    const d = padded(input, 0, 128)
    const addr = overrides.recover(signatureKey(d.subarray(64, 96), d.subarray(96, 128), d[63]!))
    if (!addr) return ecrecover(input, gasLimit, fork)
    const out = new Uint8Array(32)
    out.set(addr, 12)
    return ok(ECRECOVER_GAS, out)
  }
}

const derived = new WeakMap<SignatureOverrides, Map<Fork, Fork>>()

/** `fork` with ECRECOVER reading `overrides`; one derived fork per table and fork. */
export function withSignatureOverrides(fork: Fork, overrides: SignatureOverrides): Fork {
  let byFork = derived.get(overrides)
  if (!byFork) derived.set(overrides, (byFork = new Map()))
  let f = byFork.get(fork)
  if (!f) {
    f = { ...fork, precompiles: new Map(fork.precompiles).set(0x01, ecrecoverWith(overrides)) }
    byFork.set(fork, f)
  }
  return f
}

/** The overrides as a table, keyed by the signature's hex (a dev node's, and an EVM worker's copy of it). */
export class SignatureTable implements SignatureOverrides {
  private readonly table = new Map<string, Address>()

  constructor(entries: Iterable<[signature: Uint8Array, address: Address]> = []) {
    for (const [sig, addr] of entries) this.set(sig, addr)
  }
  get size(): number {
    return this.table.size
  }
  set(signature: Uint8Array, address: Address): void {
    this.table.set(bytesToHex(signature), address)
  }
  recover(signature: Uint8Array): Address | undefined {
    return this.table.get(bytesToHex(signature))
  }
  /** Every override, as hex pairs (plain data for a worker). */
  entries(): [signature: string, address: string][] {
    return [...this.table].map(([sig, addr]) => [sig, bytesToHex(addr)])
  }
}
