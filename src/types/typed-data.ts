/**
 * EIP-712 typed structured data: the hash a wallet signs for `eth_signTypedData_v4`.
 * `keccak256(0x19 0x01 ‖ hashStruct(EIP712Domain, domain) ‖ hashStruct(primaryType, message))`,
 * with the message part left out when the primary type is the domain itself.
 *
 * Values come as JSON (numbers, decimal or hex strings, hex bytes), so every one is checked
 * against its declared type; a wrong one is a `TypedDataError` naming the field path.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, concatBytes, hexToBytes, MosaicError, utf8ToBytes } from '../primitives/index.ts'

export class TypedDataError extends MosaicError {
  override name = 'TypedDataError'
  constructor(message: string) {
    super('typed-data', message)
  }
}

export interface TypedField {
  name: string
  type: string
}

export interface TypedData {
  types: Record<string, TypedField[]>
  primaryType: string
  domain: Record<string, unknown>
  message: Record<string, unknown>
}

/** Bounds on what a caller may make us hash. */
const MAX_TYPES = 256
const MAX_FIELDS = 1024
const MAX_DEPTH = 32
const MAX_ARRAY = 10_000

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Checks the JSON shape of a typed-data document (a string is parsed first). */
export function parseTypedData(input: unknown): TypedData {
  let v = input
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      throw new TypedDataError('typed data is not valid JSON')
    }
  }
  if (!isObject(v)) throw new TypedDataError('typed data must be an object')
  const { types, primaryType, domain, message } = v
  if (!isObject(types)) throw new TypedDataError('types must be an object')
  if (typeof primaryType !== 'string') throw new TypedDataError('primaryType must be a string')
  if (!isObject(domain)) throw new TypedDataError('domain must be an object')
  if (message !== undefined && !isObject(message)) throw new TypedDataError('message must be an object')
  const names = Object.keys(types)
  if (names.length > MAX_TYPES) throw new TypedDataError(`more than ${MAX_TYPES} types`)
  for (const name of names) {
    const fields = types[name]
    if (!Array.isArray(fields)) throw new TypedDataError(`types.${name} must be an array`)
    if (fields.length > MAX_FIELDS) throw new TypedDataError(`types.${name} has more than ${MAX_FIELDS} fields`)
    for (const f of fields) if (!isObject(f) || typeof f.name !== 'string' || typeof f.type !== 'string') throw new TypedDataError(`types.${name}: each field needs a string name and type`)
  }
  if (!types.EIP712Domain) throw new TypedDataError('types.EIP712Domain is missing')
  if (!types[primaryType]) throw new TypedDataError(`primaryType ${primaryType} is not among the types`)
  return { types: types as Record<string, TypedField[]>, primaryType, domain, message: (message ?? {}) as Record<string, unknown> }
}

/** The hash to sign (EIP-712's `encode(domainSeparator, message)` under keccak256). */
export function typedDataHash(data: TypedData): Uint8Array {
  const domain = hashStruct(data.types, 'EIP712Domain', data.domain, 'domain', 0)
  if (data.primaryType === 'EIP712Domain') return keccak256(concatBytes(Uint8Array.of(0x19, 0x01), domain))
  return keccak256(concatBytes(Uint8Array.of(0x19, 0x01), domain, hashStruct(data.types, data.primaryType, data.message, 'message', 0)))
}

/** The base type of `T[]` / `T[3]`, and the array length (-1: dynamic), or undefined when not an array. */
function arrayOf(type: string): { inner: string; length: number } | undefined {
  const m = /^(.*)\[(\d*)\]$/.exec(type)
  if (!m) return undefined
  return { inner: m[1]!, length: m[2] === '' ? -1 : Number(m[2]) }
}

/** `Name(type1 name1,…)` of `primary`, then the structs it references, sorted by name. */
export function encodeType(types: Record<string, TypedField[]>, primary: string): string {
  const deps = new Set<string>()
  const visit = (name: string) => {
    if (deps.has(name) || !types[name]) return
    deps.add(name)
    for (const f of types[name]!) visit(baseType(f.type))
  }
  visit(primary)
  deps.delete(primary)
  return [primary, ...[...deps].sort()].map((n) => `${n}(${types[n]!.map((f) => `${f.type} ${f.name}`).join(',')})`).join('')
}

function baseType(type: string): string {
  let t = type
  for (let a = arrayOf(t); a; a = arrayOf(t)) t = a.inner
  return t
}

function hashStruct(types: Record<string, TypedField[]>, name: string, value: unknown, path: string, depth: number): Uint8Array {
  if (depth > MAX_DEPTH) throw new TypedDataError(`${path}: nested deeper than ${MAX_DEPTH}`)
  if (!isObject(value)) throw new TypedDataError(`${path}: expected an object of type ${name}`)
  const fields = types[name]!
  const parts: Uint8Array[] = [keccak256(utf8ToBytes(encodeType(types, name)))]
  for (const f of fields) {
    const v = value[f.name]
    // EIP-712 leaves a missing field undefined; wallets (eth-sig-util v4, ethers) encode it as zero
    // only for structs; for atomic values a missing field is an error in ethers, as here
    parts.push(encodeValue(types, f.type, v, `${path}.${f.name}`, depth))
  }
  return keccak256(concatBytes(...parts))
}

function encodeValue(types: Record<string, TypedField[]>, type: string, v: unknown, path: string, depth: number): Uint8Array {
  const arr = arrayOf(type)
  if (arr) {
    if (!Array.isArray(v)) throw new TypedDataError(`${path}: expected an array of ${arr.inner}`)
    if (v.length > MAX_ARRAY) throw new TypedDataError(`${path}: more than ${MAX_ARRAY} elements`)
    if (arr.length >= 0 && v.length !== arr.length) throw new TypedDataError(`${path}: expected ${arr.length} elements, got ${v.length}`)
    return keccak256(concatBytes(...v.map((e, i) => encodeValue(types, arr.inner, e, `${path}[${i}]`, depth + 1))))
  }
  if (types[type]) return hashStruct(types, type, v, path, depth + 1)
  if (type === 'string') {
    if (typeof v !== 'string') throw new TypedDataError(`${path}: expected a string`)
    return keccak256(utf8ToBytes(v))
  }
  if (type === 'bytes') return keccak256(bytesValue(v, path))
  if (type === 'bool') {
    if (typeof v !== 'boolean') throw new TypedDataError(`${path}: expected true or false`)
    return bigintToWord(v ? 1n : 0n)
  }
  if (type === 'address') {
    const b = bytesValue(v, path)
    if (b.length !== 20) throw new TypedDataError(`${path}: expected a 20-byte address`)
    return concatBytes(new Uint8Array(12), b)
  }
  const bytesN = /^bytes(\d+)$/.exec(type)
  if (bytesN) {
    const n = Number(bytesN[1])
    if (n < 1 || n > 32) throw new TypedDataError(`${path}: unknown type ${type}`)
    const b = bytesValue(v, path)
    if (b.length !== n) throw new TypedDataError(`${path}: expected ${n} bytes, got ${b.length}`)
    const out = new Uint8Array(32)
    out.set(b)
    return out
  }
  const int = /^(u?)int(\d*)$/.exec(type)
  if (int) {
    const bits = int[2] === '' ? 256 : Number(int[2])
    if (bits < 8 || bits > 256 || bits % 8 !== 0) throw new TypedDataError(`${path}: unknown type ${type}`)
    const n = integerValue(v, path)
    const signed = int[1] === ''
    const [lo, hi] = signed ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n] : [0n, (1n << BigInt(bits)) - 1n]
    if (n < lo || n > hi) throw new TypedDataError(`${path}: ${n} is out of range for ${type}`)
    return bigintToWord(n < 0n ? (1n << 256n) + n : n)
  }
  throw new TypedDataError(`${path}: unknown type ${type}`)
}

function bytesValue(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) throw new TypedDataError(`${path}: expected 0x-prefixed hex bytes`)
  return hexToBytes(v)
}

/** A JSON number (safe integers only), a decimal string or a 0x hex string. */
function integerValue(v: unknown, path: string): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypedDataError(`${path}: ${v} is not a safe integer; send it as a string`)
    return BigInt(v)
  }
  if (typeof v === 'string' && /^-?(0x[0-9a-fA-F]+|\d+)$/.test(v) && v.length <= 80) {
    return v.startsWith('-') ? -BigInt(v.slice(1)) : BigInt(v)
  }
  throw new TypedDataError(`${path}: expected an integer`)
}
