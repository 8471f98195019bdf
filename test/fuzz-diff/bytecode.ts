/**
 * Bytecode for the differential fuzzer: random bytes biased to the fork's opcodes, and
 * structured programs where every opcode gets edge-case operands and its result is stored
 * (SSTORE at a fresh slot) so that a wrong result shows in the compared state.
 */
import { getFork, type EvmForkName } from '../../src/evm/index.ts'
import { bigintToWord, concatBytes, hexToBigint, bytesToHex, type Address } from '../../src/primitives/index.ts'
import type { Rng } from './rng.ts'

const TWO_256 = 1n << 256n
export const EDGE_WORDS: readonly bigint[] = [
  0n, 1n, 2n, 3n, 7n, 8n, 31n, 32n, 33n, 63n, 64n, 255n, 256n, 257n, 0xffffn, 1n << 63n, (1n << 64n) - 1n, 1n << 128n,
  1n << 254n, 1n << 255n, (1n << 255n) - 1n, TWO_256 - 1n, TWO_256 - 2n, TWO_256 - 32n,
]

/** Opcodes defined in `fork` (names that are not a bare hex byte). */
export function definedOpcodes(fork: EvmForkName): number[] {
  const names = getFork(fork).opNames
  const out: number[] = []
  for (let op = 0; op < 256; op++) if (!names[op]!.startsWith('0x')) out.push(op)
  return out
}

/** Opcodes that leave no new value on the stack (nothing to store after them). */
const NO_RESULT = new Set([0x00, 0x50, 0x52, 0x53, 0x55, 0x56, 0x57, 0x5b, 0x5d, 0x5e, 0x37, 0x39, 0x3c, 0x3e, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xf3, 0xfd, 0xfe, 0xff])
const TERMINAL = new Set([0x00, 0xf3, 0xfd, 0xfe, 0xff])
const isPush = (op: number) => op >= 0x5f && op <= 0x7f
const isDup = (op: number) => op >= 0x80 && op <= 0x8f
const isSwap = (op: number) => op >= 0x90 && op <= 0x9f

/** PUSH of `v` in the fewest bytes (PUSH0 for zero). */
export function push(v: bigint): Uint8Array {
  v = ((v % TWO_256) + TWO_256) % TWO_256
  if (v === 0n) return Uint8Array.of(0x5f)
  const hex = v.toString(16)
  const n = Math.ceil(hex.length / 2)
  return concatBytes(Uint8Array.of(0x5f + n), bigintToWord(v, n))
}

export const addressWord = (a: Address): bigint => hexToBigint(bytesToHex(a))

/** What a program may point at: accounts of the case, precompiles, the sender, empty ones. */
export interface Targets {
  addresses: readonly Address[]
}

/** Stack operands for `op`: mostly edge words; addresses, offsets and gas kept plausible. */
function operand(rng: Rng, op: number, index: number, t: Targets): bigint {
  const small = () => BigInt(rng.pick([0, 1, 2, 31, 32, 33, 64, 100, 256, 1024]))
  const addr = () => addressWord(rng.pick(t.addresses))
  // memory offsets and sizes: small, with a rare huge one (OOG or overflow)
  const mem = () => (rng.chance(0.03) ? rng.pick(EDGE_WORDS) : small())
  switch (op) {
    case 0x31: case 0x3b: case 0x3f: return addr() // BALANCE, EXTCODESIZE, EXTCODEHASH
    case 0x3c: return index === 0 ? addr() : mem() // EXTCODECOPY
    case 0x40: return BigInt(rng.pick([0, 1, 2, 255, 256, 257])) // BLOCKHASH (relative offsets are folded in by the caller)
    case 0x49: return BigInt(rng.int(4)) // BLOBHASH
    case 0x51: case 0x52: case 0x53: case 0x20: case 0x37: case 0x39: case 0x3e: case 0x5e: case 0xf3: case 0xfd: case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4:
      return index < (op >= 0xa0 && op <= 0xa4 ? 2 : 3) ? mem() : rng.pick(EDGE_WORDS)
    case 0x54: case 0x55: case 0x5c: case 0x5d: return index === 0 ? BigInt(rng.int(4)) : rng.pick(EDGE_WORDS)
    case 0xf1: case 0xf2: // CALL, CALLCODE: gas, to, value, in off, in size, out off, out size
      return index === 0 ? gasOperand(rng) : index === 1 ? addr() : index === 2 ? BigInt(rng.pick([0, 0, 1, 1000])) : small()
    case 0xf4: case 0xfa: return index === 0 ? gasOperand(rng) : index === 1 ? addr() : small()
    case 0xf0: return index === 0 ? BigInt(rng.pick([0, 1])) : small() // CREATE value, off, size
    case 0xf5: return index === 0 ? BigInt(rng.pick([0, 1])) : index === 3 ? BigInt(rng.int(3)) : small() // CREATE2 salt repeats: collisions
    case 0xff: return addr()
    case 0x56: case 0x57: return index === 0 ? BigInt(rng.int(64)) : BigInt(rng.int(2))
  }
  return rng.chance(0.8) ? rng.pick(EDGE_WORDS) : rng.word()
}

function gasOperand(rng: Rng): bigint {
  return rng.chance(0.1) ? TWO_256 - 1n : BigInt(rng.pick([0, 1, 100, 2300, 2600, 5000, 30_000, 100_000, 1_000_000]))
}

/** Initcode that deploys `runtime` (PUSH size DUP1 PUSH offset PUSH0 CODECOPY PUSH0 RETURN). */
export function deployer(runtime: Uint8Array): Uint8Array {
  const n = runtime.length
  // PUSH2 n DUP1 PUSH2 11 PUSH0 CODECOPY PUSH0 RETURN: 11 bytes, then the runtime
  return concatBytes(Uint8Array.of(0x61, n >> 8, n & 0xff, 0x80, 0x61, 0, 11, 0x5f, 0x39, 0x5f, 0xf3), runtime)
}

/** MSTOREs `bytes` at memory 0 (whole words, zero padded), for CREATE/CREATE2 and call inputs. */
export function storeInMemory(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += 32) {
    const w = new Uint8Array(32)
    w.set(bytes.subarray(i, i + 32))
    parts.push(push(hexToBigint(bytesToHex(w))), push(BigInt(i)), Uint8Array.of(0x52))
  }
  return concatBytes(...parts)
}

/** Small initcodes a program's CREATE/CREATE2 deploys: a returner, a reverter, a self-destructor. */
export function childInitcodes(beneficiary: Address): Uint8Array[] {
  const selfdestructor = concatBytes(push(addressWord(beneficiary)), Uint8Array.of(0xff))
  return [
    deployer(Uint8Array.of(0x60, 0x2a, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3)), // returns 42
    deployer(selfdestructor), // runtime self-destructs when called (a later transaction)
    selfdestructor, // self-destructs in its own creation (EIP-6780: the account goes)
    Uint8Array.of(0x60, 0x01, 0x5f, 0x55, 0x5f, 0x5f, 0xfd), // stores then reverts
    deployer(Uint8Array.of(0xef, 0x00)), // EIP-3541: code starting 0xEF is refused
  ]
}

/**
 * A structured program: a stack primed for DUP/SWAP, then `count` snippets, each an opcode of
 * `ops` with generated operands and its result SSTOREd at the next slot; ends with RETURN of
 * memory or a random terminal.
 */
export function structuredProgram(rng: Rng, ops: readonly number[], count: number, t: Targets, initcodes: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (let i = 0; i < 17; i++) parts.push(push(rng.pick(EDGE_WORDS)))
  let slot = 16n
  for (let i = 0; i < count; i++) {
    const op = rng.pick(ops)
    if (TERMINAL.has(op) && i < count - 1 && rng.chance(0.8)) continue
    if (op === 0xf0 || op === 0xf5) {
      const code = rng.pick(initcodes)
      parts.push(storeInMemory(code))
      if (op === 0xf5) parts.push(push(BigInt(rng.int(3))))
      parts.push(push(BigInt(code.length)), push(0n), push(BigInt(rng.pick([0, 0, 1]))), Uint8Array.of(op))
    } else if (isPush(op)) {
      const n = op - 0x5f
      parts.push(Uint8Array.of(op), rng.bytes(n))
    } else if (isDup(op) || isSwap(op)) {
      parts.push(Uint8Array.of(op))
    } else if (op === 0x56 || op === 0x57) {
      // JUMP/JUMPI to the JUMPDEST right after it, or (rarely) anywhere: a bad jump halts
      const here = concatBytes(...parts).length
      const cond = op === 0x57 ? Uint8Array.of(0x60, rng.int(2)) : new Uint8Array(0)
      const dest = here + cond.length + 4
      const target = rng.chance(0.9) ? dest : rng.int(dest + 1)
      parts.push(cond, Uint8Array.of(0x61, (target >> 8) & 0xff, target & 0xff, op, 0x5b))
      continue
    } else {
      const n = getFork('osaka').stackMin[op]!
      for (let k = n - 1; k >= 0; k--) parts.push(push(operand(rng, op, k, t)))
      if (op === 0x40) parts.push(Uint8Array.of(0x43, 0x03)) // BLOCKHASH(NUMBER - x)
      parts.push(Uint8Array.of(op))
    }
    if (!NO_RESULT.has(op) && !isSwap(op)) parts.push(Uint8Array.of(0x80), push(slot++), Uint8Array.of(0x55))
  }
  if (rng.chance(0.5)) parts.push(push(BigInt(rng.pick([0, 32, 64]))), push(0n), Uint8Array.of(rng.chance(0.8) ? 0xf3 : 0xfd))
  return concatBytes(...parts)
}

/** Random bytes, half of them drawn from the defined opcodes (with their push data). */
export function randomProgram(rng: Rng, ops: readonly number[], length: number): Uint8Array {
  const out: number[] = []
  while (out.length < length) {
    const op = rng.chance(0.5) ? rng.pick(ops) : rng.u32() & 0xff
    out.push(op)
    if (isPush(op)) for (let i = 0; i < op - 0x5f; i++) out.push(rng.u32() & 0xff)
  }
  return Uint8Array.from(out)
}
