/**
 * The Rust N-API addon (native/, built by `make native` into native/mosaic.node): keccak256,
 * secp256k1 recovery and signing (libsecp256k1), and Merkle-Patricia trie roots. Byte buffers in,
 * byte buffers out; the batch forms take one flat buffer plus offsets so a block's worth of work
 * crosses into native code once (and spreads over threads there).
 *
 * There is no JavaScript fallback: callers that need the addon use {@link requireNative}, which
 * throws a clear error when it is missing; {@link nativeStatus} reports why for `--version`.
 *
 * Arguments are checked natively: a wrong type throws `TypeError`, a wrong length or a malformed
 * offsets array `RangeError`. Results are plain `Uint8Array`s the caller owns.
 *
 * Consumers: src/crypto (keccak, secp256k1), src/trie (roots of sorted leaves), bench/.
 */
import { CryptoError } from './errors.ts'

/** The addon's exports. Every function is synchronous (a started job is collected by a blocking call). */
export interface NativeAddon {
  /** keccak256 of `input` (32 bytes). */
  keccak256(input: Uint8Array): Uint8Array
  /**
   * keccak256 of `input` written to `out[outOffset..outOffset+32]` (`outOffset` defaults to 0),
   * allocating nothing. `out` may overlap `input`.
   */
  keccak256Into(input: Uint8Array, out: Uint8Array, outOffset?: number): void
  /**
   * keccak256 of n items in one call: item i is `data[offsets[i]..offsets[i+1]]` (offsets has
   * n+1 non-decreasing entries, the last at most `data.length`). Returns 32·n bytes.
   */
  keccak256Batch(data: Uint8Array, offsets: Uint32Array): Uint8Array
  /**
   * Public key (x ‖ y, 64 bytes, no 0x04 prefix) that signed the 32-byte `hash` with `sig` =
   * r ‖ s (64 bytes) and recovery id `recid` (0 or 1), or null when the signature is invalid
   * (r or s zero or ≥ n, no curve point for r, recid not 0/1). High s is accepted: that rule is
   * transaction validity (EIP-2), not recovery.
   */
  ecrecover(hash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null
  /** Like {@link NativeAddon.ecrecover}, returning the 20-byte address keccak256(pubkey)[12..]. */
  ecrecoverAddress(hash: Uint8Array, sig: Uint8Array, recid: number): Uint8Array | null
  /**
   * n recoveries on the thread pool: `hashes` 32·n bytes, `sigs` 64·n (r ‖ s), `recids` n bytes.
   * Returns 65·n bytes: per item a status byte (1 recovered, 0 invalid) then the 64-byte public
   * key (zeros when invalid).
   */
  ecrecoverBatch(hashes: Uint8Array, sigs: Uint8Array, recids: Uint8Array): Uint8Array
  /** Like {@link NativeAddon.ecrecoverBatch}, 21·n bytes: status byte then the 20-byte address. */
  ecrecoverAddressBatch(hashes: Uint8Array, sigs: Uint8Array, recids: Uint8Array): Uint8Array
  /**
   * {@link NativeAddon.ecrecoverAddressBatch} on the thread pool while the caller goes on, the
   * first items first: copies the inputs, returns at once with a job id. Collect every job
   * exactly once with `ecrecoverAddressBatchFinish`.
   */
  ecrecoverAddressBatchStart(hashes: Uint8Array, sigs: Uint8Array, recids: Uint8Array): number
  /**
   * Items `from..` of a started job that are done, 21 bytes each, once at least `from..atLeast`
   * are (blocks until then). Throws `RangeError` for an unknown id or a range outside the job.
   */
  ecrecoverAddressBatchTake(job: number, from: number, atLeast: number): Uint8Array
  /** The 21·n bytes of a started job (blocks until it is done); throws `Error` for an unknown id. */
  ecrecoverAddressBatchFinish(job: number): Uint8Array
  /**
   * Deterministic (RFC 6979), low-s signature of a 32-byte hash: 65 bytes r ‖ s ‖ recid.
   * Throws `Error` for an invalid private key (zero or ≥ n).
   */
  sign(hash: Uint8Array, privateKey: Uint8Array): Uint8Array
  /** Public key (x ‖ y, 64 bytes) of a 32-byte private key; throws `Error` when it is invalid. */
  publicKeyCreate(privateKey: Uint8Array): Uint8Array
  /**
   * Merkle-Patricia trie root (32 bytes) of the pairs (keys[keyOffsets[i]..keyOffsets[i+1]],
   * values[valueOffsets[i]..valueOffsets[i+1]]). Keys are used as given (not hashed); pairs may
   * come in any order; for a repeated key the last pair wins; an empty value means absent.
   */
  trieRoot(keys: Uint8Array, keyOffsets: Uint32Array, values: Uint8Array, valueOffsets: Uint32Array): Uint8Array
  /** Like {@link NativeAddon.trieRoot} with keccak256(key) as each path: state and storage tries. */
  secureTrieRoot(keys: Uint8Array, keyOffsets: Uint32Array, values: Uint8Array, valueOffsets: Uint32Array): Uint8Array
  /**
   * EIP-152 BLAKE2b F on the precompile's 213-byte input (rounds, h, m, t, final flag); 64 bytes.
   * Throws RangeError for a wrong length or a flag other than 0/1.
   */
  blake2f(input: Uint8Array): Uint8Array
  /** What this build provides, e.g. ["keccak", "secp256k1", "trie"]. */
  readonly features: readonly string[]
  /** The addon crate's version. */
  readonly version: string
}

export interface NativeStatus {
  loaded: boolean
  features: string[]
  /** Why loading failed, when it did. */
  error?: string
}

let loadError: unknown = null

function load(): NativeAddon | null {
  try {
    // A static relative path, so `bun build --compile` embeds the addon in the executable.
    const addon = require('../../native/mosaic.node') as NativeAddon
    // an addon built from older sources loads but lacks the newest entry point
    if (typeof addon.ecrecoverAddressBatchTake !== 'function') throw new Error('native/mosaic.node is older than native/src (no ecrecoverAddressBatchTake)')
    return withFastPaths(addon)
  } catch (e) {
    loadError = e
    return null
  }
}

/**
 * The addon with `keccak256` routed through `keccak256Into` and a reused scratch buffer: making
 * a fresh ArrayBuffer + Uint8Array through N-API costs more than the hash of 32 bytes itself,
 * while `slice()` in JS is nearly free (~25% faster per call in Bun, same result: a plain
 * Uint8Array the caller owns).
 */
function withFastPaths(addon: NativeAddon): NativeAddon {
  const scratch = new Uint8Array(32)
  const into = addon.keccak256Into
  const keccak256 = (input: Uint8Array): Uint8Array => {
    into(input, scratch)
    return scratch.slice()
  }
  return Object.freeze({ ...addon, keccak256 })
}

/** The loaded addon, or null when native/mosaic.node is missing or failed to load. */
export const native: NativeAddon | null = load()

/** keccak256 of data[start..start+len] into out[outOffset..outOffset+32]; ranges checked by the caller. */
export type KeccakAt = (data: Uint8Array, start: number, len: number, out: Uint8Array, outOffset: number) => void

/**
 * The addon's C-ABI keccak through bun:ffi (a call costs about half of an N-API call), or null
 * where bun:ffi cannot open the addon file (then the N-API entry points serve).
 */
export const keccakAt: KeccakAt | null = native ? loadFfiKeccak() : null

function loadFfiKeccak(): KeccakAt | null {
  try {
    const { dlopen, FFIType } = require('bun:ffi') as typeof import('bun:ffi')
    const path = new URL('../../native/mosaic.node', import.meta.url).pathname
    const lib = dlopen(path, {
      mosaic_keccak256_at: { args: [FFIType.ptr, FFIType.u32, FFIType.u32, FFIType.ptr, FFIType.u32], returns: FFIType.void },
    })
    const f = lib.symbols.mosaic_keccak256_at as unknown as KeccakAt
    // one known answer before trusting it: keccak256("") = c5d2…a470
    const out = new Uint8Array(32)
    f(new Uint8Array(1), 0, 0, out, 0)
    return out[0] === 0xc5 && out[31] === 0x70 ? f : null
  } catch {
    return null
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** Whether the addon is loaded, what it provides, and why not when it is not. */
export function nativeStatus(): NativeStatus {
  if (native) return { loaded: true, features: [...native.features] }
  return { loaded: false, features: [], error: errorMessage(loadError) }
}

/** The addon; throws when it is not built or failed to load. */
export function requireNative(): NativeAddon {
  if (native) return native
  throw new CryptoError('NATIVE_ADDON_MISSING', `native addon not built: run \`make native\` (${errorMessage(loadError)})`, { cause: loadError })
}
