/**
 * anvil_dumpState / anvil_loadState in anvil's own format, so a state file moves between the
 * two: hex of the gzipped JSON `{block, accounts: {address: {nonce, balance, code, storage}},
 * best_block_number, blocks, transactions}`. Mosaic writes the latest state (pending edits
 * included) and no block history, so anvil loading it keeps the accounts and goes back to its
 * genesis block number; loading applies the accounts as dev edits, mined with the next block as
 * anvil_setBalance & co. are.
 */
import { gunzipSync, gzipSync } from 'node:zlib'
import { bigintToWord, bytesToHex, hexToBytes, parseAddress } from '../../primitives/index.ts'
import type { Methods } from '../context.ts'
import { InvalidParamsError } from '../errors.ts'
import { hex, qty } from '../format/hex.ts'
import { args, data, fail } from '../params.ts'
import { devOf } from './dev.ts'

/** A state file's bounds: what a dev node takes in one request. */
const MAX_JSON_BYTES = 256 * 1024 * 1024
const MAX_ACCOUNTS = 1_000_000

const word = (n: bigint) => bytesToHex(bigintToWord(n))

function parseState(raw: Uint8Array): Record<string, unknown> {
  let json: Uint8Array = raw
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    // gzip's trailer holds the size mod 2^32: a bomb is refused before it is inflated
    const size = new DataView(raw.buffer, raw.byteOffset + raw.length - 4, 4).getUint32(0, true)
    if (size > MAX_JSON_BYTES) fail(0, `the state inflates to more than ${MAX_JSON_BYTES} bytes`)
    try {
      json = gunzipSync(raw, { maxOutputLength: MAX_JSON_BYTES })
    } catch (e) {
      fail(0, `not a gzipped state: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  let v: unknown
  try {
    v = JSON.parse(new TextDecoder().decode(json))
  } catch {
    fail(0, 'the state is not JSON (anvil_dumpState writes gzipped JSON)')
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(0, 'the state must be a JSON object')
  return v as Record<string, unknown>
}

const big = (v: unknown, at: string): bigint => {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v)
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v)
  throw new InvalidParamsError(`invalid argument 0: ${at}: expected a non-negative number or hex quantity`)
}

export const anvilStateMethods: Methods = {
  anvil_dumpState(ctx, p) {
    args(p, 0)
    const head = ctx.chain.head()
    const accounts: Record<string, unknown> = {}
    for (const a of devOf(ctx).dumpState()) {
      accounts[bytesToHex(a.address)] = { nonce: Number(a.nonce), balance: qty(a.balance), code: hex(a.code), storage: Object.fromEntries(a.storage.map(([k, v]) => [word(k), word(v)])) }
    }
    const state = {
      // anvil moves its head to block.number and needs that block among `blocks`, which a state
      // file of Mosaic's does not carry (no history): 0, its genesis, is the one it always has
      block: {
        number: qty(0),
        beneficiary: hex(head.coinbase),
        timestamp: qty(head.timestamp),
        gas_limit: Number(head.gasLimit),
        basefee: Number(head.baseFeePerGas ?? 0n),
        difficulty: qty(head.difficulty),
        prevrandao: hex(head.mixHash),
      },
      accounts,
      best_block_number: null,
      blocks: [],
      transactions: [],
      historical_states: null,
    }
    return hex(gzipSync(JSON.stringify(state)))
  },
  anvil_loadState(ctx, p) {
    const state = parseState(data(args(p, 1, 1)[0], 0))
    const accounts = state.accounts
    if (typeof accounts !== 'object' || accounts === null || Array.isArray(accounts)) fail(0, 'the state has no accounts object')
    const entries = Object.entries(accounts as Record<string, unknown>)
    if (entries.length > MAX_ACCOUNTS) fail(0, `more than ${MAX_ACCOUNTS} accounts`)
    // check everything first: a bad file changes nothing
    const parsed = entries.map(([addr, v]) => {
      const at = `accounts.${addr}`
      let address
      try {
        address = parseAddress(addr)
      } catch {
        fail(0, `${at}: not an address`)
      }
      if (typeof v !== 'object' || v === null) fail(0, `${at}: expected an object`)
      const o = v as Record<string, unknown>
      if (o.code !== undefined && (typeof o.code !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(o.code))) fail(0, `${at}.code: expected hex bytes`)
      const storage = o.storage ?? {}
      if (typeof storage !== 'object' || storage === null || Array.isArray(storage)) fail(0, `${at}.storage: expected an object`)
      return {
        address,
        nonce: big(o.nonce ?? 0, `${at}.nonce`),
        balance: big(o.balance ?? 0, `${at}.balance`),
        code: hexToBytes((o.code as string | undefined) ?? '0x'),
        storage: Object.entries(storage as Record<string, unknown>).map(([k, s]) => [big(k, `${at}.storage key`), big(s, `${at}.storage.${k}`)] as [bigint, bigint]),
      }
    })
    devOf(ctx).loadState(parsed)
    return true
  },
}
