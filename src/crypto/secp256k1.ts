/**
 * secp256k1 in the native addon (libsecp256k1): public-key recovery, single and batched over
 * threads (all senders of a block in one call), signing, address derivation.
 */
import { bigintToWord, bytesToBigint, type Address } from '../primitives/index.ts'
import { requireNative } from './native.ts'
import { CryptoError } from './errors.ts'

const native = requireNative()

export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
export const SECP256K1_N_HALF = SECP256K1_N >> 1n

export interface Signature {
  r: bigint
  s: bigint
  /** 0 or 1: parity of the y coordinate of the signature's R point. */
  yParity: number
}

export interface RecoveryInput extends Signature {
  hash: Uint8Array
}

/** r || s as 64 bytes, or null when either does not fit in 32 bytes. */
function compact(sig: Signature, out = new Uint8Array(64), offset = 0): Uint8Array | null {
  if (sig.r < 0n || sig.s < 0n || sig.r >= 1n << 256n || sig.s >= 1n << 256n) return null
  out.set(bigintToWord(sig.r), offset)
  out.set(bigintToWord(sig.s), offset + 32)
  return out
}

/** Recovers the 64-byte public key (x || y), or null when the signature is invalid. */
export function recoverPublicKey(hash: Uint8Array, sig: Signature): Uint8Array | null {
  const rs = compact(sig)
  return rs && hash.length === 32 ? native.ecrecover(hash, rs, sig.yParity) : null
}

export function recoverAddress(hash: Uint8Array, sig: Signature): Address | null {
  const rs = compact(sig)
  return rs && hash.length === 32 ? native.ecrecoverAddress(hash, rs, sig.yParity) : null
}

/** Recovers many signers in one native call, spread over threads: all senders of a block. */
export function recoverAddresses(inputs: readonly RecoveryInput[]): (Address | null)[] {
  const b = packRecoveries(inputs)
  return unpackAddresses(b.valid, native.ecrecoverAddressBatch(b.hashes, b.sigs, b.recids))
}

/** A batch recovery running on background threads, first items first. */
export interface PendingRecovery {
  /** Signer `i`, waiting only until it is recovered (the items before it are done by then too). */
  get(i: number): Address | null
  /** Every signer: blocks until all are recovered. Call it at least once: it collects the job. */
  wait(): (Address | null)[]
}

/**
 * Starts {@link recoverAddresses} on the thread pool and returns at once, so that the caller
 * can execute while the signers are recovered: those of later blocks, or of the block's later
 * transactions while the first ones run.
 */
export function startRecoverAddresses(inputs: readonly RecoveryInput[]): PendingRecovery {
  const b = packRecoveries(inputs)
  const job = native.ecrecoverAddressBatchStart(b.hashes, b.sigs, b.recids)
  const out: (Address | null)[] = new Array(inputs.length)
  let taken = 0
  let finished = false
  const put = (from: number, bytes: Uint8Array) => {
    const got = unpackAddresses(b.valid.slice(from, from + bytes.length / 21), bytes)
    for (let k = 0; k < got.length; k++) out[from + k] = got[k]!
    taken = Math.max(taken, from + got.length)
  }
  return {
    get(i) {
      if (i >= taken && !finished) put(taken, native.ecrecoverAddressBatchTake(job, taken, i + 1))
      return out[i] ?? null
    },
    wait() {
      if (!finished) {
        finished = true
        put(0, native.ecrecoverAddressBatchFinish(job))
      }
      return out
    },
  }
}

/** The batch entry points' flat inputs: 32-byte hashes, r ‖ s, recovery ids (255 marks an invalid item). */
function packRecoveries(inputs: readonly RecoveryInput[]) {
  const n = inputs.length
  const hashes = new Uint8Array(32 * n)
  const sigs = new Uint8Array(64 * n)
  const recids = new Uint8Array(n)
  const valid = new Array<boolean>(n)
  for (let i = 0; i < n; i++) {
    const input = inputs[i]!
    valid[i] = input.hash.length === 32 && compact(input, sigs, 64 * i) !== null
    if (valid[i]) hashes.set(input.hash, 32 * i)
    // An out-of-range recid makes the native side report failure for this item.
    recids[i] = valid[i] && (input.yParity === 0 || input.yParity === 1) ? input.yParity : 255
  }
  return { hashes, sigs, recids, valid }
}

function unpackAddresses(valid: boolean[], out: Uint8Array): (Address | null)[] {
  return Array.from({ length: valid.length }, (_, i) => (valid[i] && out[21 * i] === 1 ? out.subarray(21 * i + 1, 21 * i + 21) : null))
}

/** Deterministic (RFC 6979), low-s signature of a 32-byte hash. */
export function sign(hash: Uint8Array, privateKey: Uint8Array): Signature {
  const sig = native.sign(hash, privateKey)
  return { r: bytesToBigint(sig.subarray(0, 32)), s: bytesToBigint(sig.subarray(32, 64)), yParity: sig[64]! }
}

export function publicKeyToAddress(publicKey: Uint8Array): Address {
  if (publicKey.length !== 64) throw new CryptoError('INVALID_PUBLIC_KEY', `public key must be 64 bytes, got ${publicKey.length}`)
  return native.keccak256(publicKey).subarray(12)
}

export function privateKeyToPublicKey(privateKey: Uint8Array): Uint8Array {
  return native.publicKeyCreate(privateKey)
}

export function privateKeyToAddress(privateKey: Uint8Array): Address {
  return publicKeyToAddress(native.publicKeyCreate(privateKey))
}
