/**
 * The t8n inputs as geth's `evm t8n` reads them: `alloc` (address → {balance, nonce, code,
 * storage}), `env` (the block's `current*` fields, the `parent*` fields they can be derived from,
 * `blockHashes`, `withdrawals`, `ommers`) and the transactions (see t8n-txs.ts). Shape errors are
 * T8nError('json'); what a fork requires of the env is checked by t8n-apply.ts.
 */
import { MemoryState } from '../../state/index.ts'
import type { Address, Hash } from '../../primitives/index.ts'
import type { Withdrawal } from '../../types/index.ts'
import { T8nError } from './t8n-errors.ts'
import { address, array, bytes, hash, object, optQuantity, quantity, word } from './t8n-json.ts'

/** Accounts at most, so a runaway input fails clearly instead of exhausting memory. */
export const MAX_ALLOC_ACCOUNTS = 1_000_000

export function parseAlloc(v: unknown): MemoryState {
  const state = new MemoryState()
  if (v === undefined || v === null) return state
  const entries = Object.entries(object(v, 'alloc'))
  if (entries.length > MAX_ALLOC_ACCOUNTS) throw new T8nError('json', `alloc has ${entries.length} accounts, at most ${MAX_ALLOC_ACCOUNTS}`)
  for (const [key, raw] of entries) {
    const path = `alloc[${key}]`
    const a = object(raw, path)
    const storage = new Map<bigint, bigint>()
    if (a.storage !== undefined && a.storage !== null) {
      for (const [k, val] of Object.entries(object(a.storage, `${path}.storage`))) {
        const value = word(val, `${path}.storage[${k}]`)
        if (value !== 0n) storage.set(word(k, `${path}.storage key`), value)
      }
    }
    state.setAccount(address(key, path), {
      balance: optQuantity(a.balance, `${path}.balance`) ?? 0n,
      nonce: optQuantity(a.nonce, `${path}.nonce`, 64) ?? 0n,
      code: a.code === undefined || a.code === null ? new Uint8Array(0) : bytes(a.code, `${path}.code`),
      storage,
    })
  }
  return state
}

export interface Ommer {
  delta: bigint
  address: Address
}

export interface T8nEnv {
  coinbase: Address
  gasLimit: bigint
  number: bigint
  timestamp: bigint
  difficulty?: bigint
  random?: bigint
  baseFee?: bigint
  parentBaseFee?: bigint
  parentGasUsed: bigint
  parentGasLimit: bigint
  parentTimestamp: bigint
  excessBlobGas?: bigint
  parentExcessBlobGas?: bigint
  parentBlobGasUsed?: bigint
  parentBeaconBlockRoot?: Hash
  /** Undefined when the env has none (geth then skips the EIP-2935 call). */
  blockHashes?: Map<bigint, Hash>
  withdrawals?: Withdrawal[]
  ommers: Ommer[]
}

function present(e: Record<string, unknown>, field: string): unknown {
  if (e[field] === undefined || e[field] === null) throw new T8nError('json', `env: missing required field '${field}'`)
  return e[field]
}

const required = (e: Record<string, unknown>, field: string): bigint => quantity(present(e, field), `env.${field}`, 64)

export function parseEnv(v: unknown): T8nEnv {
  const e = object(v, 'env')
  const q = (field: string, bits: 64 | 256 = 64) => optQuantity(e[field], `env.${field}`, bits)
  const env: T8nEnv = {
    coinbase: address(present(e, 'currentCoinbase'), 'env.currentCoinbase'),
    gasLimit: required(e, 'currentGasLimit'),
    number: required(e, 'currentNumber'),
    timestamp: required(e, 'currentTimestamp'),
    difficulty: q('currentDifficulty', 256),
    random: q('currentRandom', 256),
    baseFee: q('currentBaseFee', 256),
    parentBaseFee: q('parentBaseFee', 256),
    parentGasUsed: q('parentGasUsed') ?? 0n,
    parentGasLimit: q('parentGasLimit') ?? 0n,
    parentTimestamp: q('parentTimestamp') ?? 0n,
    excessBlobGas: q('currentExcessBlobGas'),
    parentExcessBlobGas: q('parentExcessBlobGas'),
    parentBlobGasUsed: q('parentBlobGasUsed'),
    parentBeaconBlockRoot: e.parentBeaconBlockRoot === undefined || e.parentBeaconBlockRoot === null ? undefined : hash(e.parentBeaconBlockRoot, 'env.parentBeaconBlockRoot'),
    ommers: [],
  }
  if (e.blockHashes !== undefined && e.blockHashes !== null) {
    env.blockHashes = new Map()
    for (const [k, h] of Object.entries(object(e.blockHashes, 'env.blockHashes')))
      env.blockHashes.set(quantity(k, `env.blockHashes key ${k}`, 64), hash(h, `env.blockHashes[${k}]`))
  }
  if (e.withdrawals !== undefined && e.withdrawals !== null) {
    env.withdrawals = array(e.withdrawals, 'env.withdrawals').map((raw, i) => {
      const path = `env.withdrawals[${i}]`
      const w = object(raw, path)
      return {
        index: quantity(w.index, `${path}.index`, 64),
        validatorIndex: quantity(w.validatorIndex, `${path}.validatorIndex`, 64),
        address: address(w.address, `${path}.address`),
        amount: quantity(w.amount, `${path}.amount`, 64),
      }
    })
  }
  if (e.ommers !== undefined && e.ommers !== null) {
    env.ommers = array(e.ommers, 'env.ommers').map((raw, i) => {
      const o = object(raw, `env.ommers[${i}]`)
      return { delta: quantity(o.delta, `env.ommers[${i}].delta`, 64), address: address(o.address, `env.ommers[${i}].address`) }
    })
  }
  return env
}
