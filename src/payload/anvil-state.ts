/**
 * anvil's state file format, so a state moves between the two: JSON `{block, accounts: {address:
 * {nonce, balance, code, storage}}, best_block_number, blocks, transactions}`, gzipped in
 * anvil_dumpState's answer and plain in the file of `--dump-state`. Mosaic writes the latest state
 * (pending edits included) and no block history, so anvil loading it keeps the accounts and goes
 * back to its genesis block number; Mosaic reads the accounts (of either form) and loads them as
 * dev edits, mined with the next block as anvil_setBalance & co. are.
 *
 * Consumers: anvil_dumpState/anvil_loadState (rpc), the `--state` file (the execution profile).
 */
import { gunzipSync } from 'node:zlib'
import { bigintToWord, bytesToHex, hexToBytes, MosaicError, parseAddress, type Hex } from '../primitives/index.ts'
import type { Header } from '../types/index.ts'
import type { DumpedAccount } from './dev-state-dump.ts'

/** A state that is not anvil's format, or too large; the message says where. */
export class StateFileError extends MosaicError {
  override name = 'StateFileError'
  constructor(details: string) {
    super('STATE_FILE', 'invalid state', { details })
  }
}

/** A state's bounds: what a dev node takes in one request or file. */
const MAX_JSON_BYTES = 256 * 1024 * 1024
const MAX_ACCOUNTS = 1_000_000

const word = (n: bigint) => bytesToHex(bigintToWord(n))
const qty = (n: bigint) => `0x${n.toString(16)}`
const fail = (details: string): never => {
  throw new StateFileError(details)
}

/** The latest state in anvil's JSON form (an object, for JSON.stringify). */
export function toAnvilState(accounts: readonly DumpedAccount[], head: Header): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of accounts) {
    out[bytesToHex(a.address)] = { nonce: Number(a.nonce), balance: qty(a.balance), code: bytesToHex(a.code), storage: Object.fromEntries(a.storage.map(([k, v]) => [word(k), word(v)])) }
  }
  return {
    // anvil moves its head to block.number and needs that block among `blocks`, which a state
    // file of Mosaic's does not carry (no history): 0, its genesis, is the one it always has
    block: {
      number: qty(0n),
      beneficiary: bytesToHex(head.coinbase),
      timestamp: qty(head.timestamp),
      gas_limit: Number(head.gasLimit),
      basefee: Number(head.baseFeePerGas ?? 0n),
      difficulty: qty(head.difficulty),
      prevrandao: bytesToHex(head.mixHash),
    },
    accounts: out,
    best_block_number: null,
    blocks: [],
    transactions: [],
    historical_states: null,
  }
}

function parseJson(raw: Uint8Array): Record<string, unknown> {
  let json: Uint8Array = raw
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    // gzip's trailer holds the size mod 2^32: a bomb is refused before it is inflated
    const size = new DataView(raw.buffer, raw.byteOffset + raw.length - 4, 4).getUint32(0, true)
    if (size > MAX_JSON_BYTES) fail(`the state inflates to more than ${MAX_JSON_BYTES} bytes`)
    try {
      json = gunzipSync(raw, { maxOutputLength: MAX_JSON_BYTES })
    } catch (e) {
      fail(`not a gzipped state: ${e instanceof Error ? e.message : String(e)}`)
    }
  } else if (raw.length > MAX_JSON_BYTES) fail(`the state is larger than ${MAX_JSON_BYTES} bytes`)
  let v: unknown
  try {
    v = JSON.parse(new TextDecoder().decode(json))
  } catch {
    fail('the state is not JSON (anvil writes JSON, gzipped in anvil_dumpState)')
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('the state must be a JSON object')
  return v as Record<string, unknown>
}

const big = (v: unknown, at: string): bigint => {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v)
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v)
  return fail(`${at}: expected a non-negative number or hex quantity`)
}

/** The accounts of a state in anvil's format (plain or gzipped JSON), all checked before any is returned. */
export function parseAnvilState(raw: Uint8Array): DumpedAccount[] {
  const accounts = parseJson(raw).accounts
  if (typeof accounts !== 'object' || accounts === null || Array.isArray(accounts)) fail('the state has no accounts object')
  const entries = Object.entries(accounts as Record<string, unknown>)
  if (entries.length > MAX_ACCOUNTS) fail(`more than ${MAX_ACCOUNTS} accounts`)
  return entries.map(([addr, v]) => {
    const at = `accounts.${addr}`
    let address
    try {
      address = parseAddress(addr)
    } catch {
      return fail(`${at}: not an address`)
    }
    if (typeof v !== 'object' || v === null) fail(`${at}: expected an object`)
    const o = v as Record<string, unknown>
    if (o.code !== undefined && (typeof o.code !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(o.code))) fail(`${at}.code: expected hex bytes`)
    const storage = o.storage ?? {}
    if (typeof storage !== 'object' || storage === null || Array.isArray(storage)) fail(`${at}.storage: expected an object`)
    return {
      address,
      nonce: big(o.nonce ?? 0, `${at}.nonce`),
      balance: big(o.balance ?? 0, `${at}.balance`),
      code: hexToBytes((o.code as Hex | undefined) ?? '0x'),
      storage: Object.entries(storage as Record<string, unknown>).map(([k, s]) => [big(k, `${at}.storage key`), big(s, `${at}.storage.${k}`)] as [bigint, bigint]),
    }
  })
}
