/**
 * State overrides (geth's StateOverride for eth_call, estimateGas, simulate, traceCall): per
 * account `balance`, `nonce`, `code`, and either `state` (replaces all storage) or `stateDiff`
 * (patches slots). Applied as an `AccountReader` overlay, so the base state is never touched.
 * `movePrecompileToAddress` is not supported (a clear error).
 */
import { bytesToHex, EMPTY_BYTES, type Address } from '../../primitives/index.ts'
import type { AccountInfo, AccountReader } from '../../state/index.ts'
import { InvalidParamsError, UnsupportedError } from '../errors.ts'
import { address, data, field, hash, knownFields, object, quantity, storageKey, uint64, type At } from '../params.ts'
import type { BlockOverrides } from './env.ts'

export interface AccountOverride {
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  /** Full storage replacement. */
  state?: Map<bigint, bigint>
  stateDiff?: Map<bigint, bigint>
}

export type StateOverrides = Map<string, { address: Address; o: AccountOverride }>

const MAX_ACCOUNTS = 1_000
const MAX_SLOTS = 10_000

function slots(v: unknown, at: At): Map<bigint, bigint> {
  const o = object(v, at)
  const keys = Object.keys(o)
  if (keys.length > MAX_SLOTS) throw new InvalidParamsError(`invalid argument ${at}: more than ${MAX_SLOTS} slots`)
  const m = new Map<bigint, bigint>()
  for (const k of keys) m.set(storageKey(k, field(at, k)), storageKey(o[k], field(at, k)))
  return m
}

export function parseStateOverrides(v: unknown, at: At): StateOverrides | undefined {
  if (v === undefined || v === null) return undefined
  const o = object(v, at)
  const keys = Object.keys(o)
  if (keys.length > MAX_ACCOUNTS) throw new InvalidParamsError(`invalid argument ${at}: more than ${MAX_ACCOUNTS} accounts overridden`)
  const out: StateOverrides = new Map()
  for (const k of keys) {
    const p = field(at, k)
    const a = address(k, p)
    const fields = object(o[k], p)
    knownFields(fields, p, ['balance', 'nonce', 'code', 'state', 'stateDiff', 'movePrecompileToAddress'])
    if (fields.movePrecompileToAddress != null) throw new UnsupportedError('movePrecompileToAddress in state overrides is not supported')
    const ov: AccountOverride = {}
    if (fields.balance != null) ov.balance = quantity(fields.balance, field(p, 'balance'))
    if (fields.nonce != null) ov.nonce = uint64(fields.nonce, field(p, 'nonce'))
    if (fields.code != null) ov.code = data(fields.code, field(p, 'code'))
    if (fields.state != null && fields.stateDiff != null) throw new InvalidParamsError(`account ${bytesToHex(a)} has both 'state' and 'stateDiff'`)
    if (fields.state != null) ov.state = slots(fields.state, field(p, 'state'))
    if (fields.stateDiff != null) ov.stateDiff = slots(fields.stateDiff, field(p, 'stateDiff'))
    out.set(bytesToHex(a), { address: a, o: ov })
  }
  return out
}

/** `base` with `overrides` on top. */
export function overlay(base: AccountReader, overrides: StateOverrides | undefined): AccountReader {
  if (!overrides || overrides.size === 0) return base
  const get = (a: Address) => overrides.get(bytesToHex(a))?.o
  return {
    getAccount(a): AccountInfo | undefined {
      const o = get(a)
      const info = base.getAccount(a)
      if (!o) return info
      return { nonce: o.nonce ?? info?.nonce ?? 0n, balance: o.balance ?? info?.balance ?? 0n, code: o.code ?? info?.code ?? EMPTY_BYTES }
    },
    getStorage(a, key) {
      const o = get(a)
      if (o?.state) return o.state.get(key) ?? 0n
      const d = o?.stateDiff?.get(key)
      return d !== undefined ? d : base.getStorage(a, key)
    },
    hasStorage(a) {
      const o = get(a)
      if (o?.state) return [...o.state.values()].some((v) => v !== 0n)
      if (o?.stateDiff && [...o.stateDiff.values()].some((v) => v !== 0n)) return true
      return base.hasStorage(a)
    },
  }
}

export function parseBlockOverrides(v: unknown, at: At): BlockOverrides | undefined {
  if (v === undefined || v === null) return undefined
  const o = object(v, at)
  knownFields(o, at, ['number', 'time', 'gasLimit', 'feeRecipient', 'coinbase', 'prevRandao', 'random', 'baseFeePerGas', 'baseFee', 'blobBaseFee', 'difficulty', 'withdrawals', 'beaconRoot', 'blockHash'])
  if (o.blockHash != null) throw new UnsupportedError('blockHash overrides are not supported')
  const f = (k: string) => field(at, k)
  const out: BlockOverrides = {}
  if (o.number != null) out.number = uint64(o.number, f('number'))
  if (o.time != null) out.time = uint64(o.time, f('time'))
  if (o.gasLimit != null) out.gasLimit = uint64(o.gasLimit, f('gasLimit'))
  const coinbase = o.feeRecipient ?? o.coinbase
  if (coinbase != null) out.feeRecipient = address(coinbase, f('feeRecipient'))
  const randao = o.prevRandao ?? o.random
  if (randao != null) out.prevRandao = hash(randao, f('prevRandao'))
  const baseFee = o.baseFeePerGas ?? o.baseFee
  if (baseFee != null) out.baseFeePerGas = quantity(baseFee, f('baseFeePerGas'))
  if (o.blobBaseFee != null) out.blobBaseFee = quantity(o.blobBaseFee, f('blobBaseFee'))
  return out
}
