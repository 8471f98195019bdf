/**
 * The genesis block of a chain spec: state root from the alloc, header fields per the forks
 * active at genesis, and parsing of geth's `genesis.json` format into a spec.
 */
import { keccak256 } from '../crypto/index.ts'
import { bigintToWord, bytesToHex, encodeRlp, hexToBigint, hexToBytes, isHex, parseAddress, ZERO_ADDRESS, ZERO_HASH } from '../primitives/index.ts'
import { secureTrieRoot, EMPTY_TRIE_ROOT } from '../trie/index.ts'
import { EMPTY_OMMERS_HASH, EMPTY_REQUESTS_HASH, headerHash, type Header } from '../types/index.ts'
import { ChainSpecError } from './errors.ts'
import { isActive } from './forks.ts'
import type { Activation, BlobParams, ChainSpec, GenesisAccount, ScheduledFork } from './types.ts'

/** EIP-1559's initial base fee, used when London is active at genesis and none is given. */
export const INITIAL_BASE_FEE = 1_000_000_000n

/** State root of an alloc: the secure trie of accounts, each with its storage trie's root. */
export function genesisStateRoot(alloc: Map<string, GenesisAccount>): Uint8Array {
  const accounts: [Uint8Array, Uint8Array][] = []
  for (const [addr, acct] of alloc) {
    const storage: [Uint8Array, Uint8Array][] = []
    for (const [slot, value] of acct.storage) if (value !== 0n) storage.push([bigintToWord(slot), encodeRlp(value)])
    const storageRoot = storage.length ? secureTrieRoot(storage) : EMPTY_TRIE_ROOT
    const codeHash = keccak256(acct.code)
    accounts.push([hexToBytes(addr), encodeRlp([acct.nonce, acct.balance, storageRoot, codeHash])])
  }
  return accounts.length ? secureTrieRoot(accounts) : EMPTY_TRIE_ROOT
}

/** The genesis header: fields the spec sets, plus those each fork active at genesis adds. */
export function genesisHeader(spec: ChainSpec, stateRoot = genesisStateRoot(spec.alloc())): Header {
  const g = spec.genesis
  const at = (fork: ScheduledFork) => isActive(spec, fork, 0n, g.timestamp)
  const h: Header = {
    parentHash: ZERO_HASH,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: g.coinbase,
    stateRoot,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: new Uint8Array(256),
    difficulty: g.difficulty,
    number: 0n,
    gasLimit: g.gasLimit,
    gasUsed: 0n,
    timestamp: g.timestamp,
    extraData: g.extraData,
    mixHash: g.mixHash,
    nonce: g.nonce,
  }
  if (at('london')) h.baseFeePerGas = g.baseFeePerGas ?? INITIAL_BASE_FEE
  if (at('shanghai')) h.withdrawalsRoot = EMPTY_TRIE_ROOT
  if (at('cancun')) {
    h.blobGasUsed = g.blobGasUsed ?? 0n
    h.excessBlobGas = g.excessBlobGas ?? 0n
    h.parentBeaconBlockRoot = ZERO_HASH
  }
  if (at('prague')) h.requestsHash = EMPTY_REQUESTS_HASH
  return h
}

export function genesisHash(spec: ChainSpec): Uint8Array {
  return headerHash(genesisHeader(spec))
}

// ---- geth genesis.json ------------------------------------------------------------------------

/** geth's `config` block-number fields, in fork order. */
const BLOCK_FIELDS: [string, ScheduledFork][] = [
  ['homesteadBlock', 'homestead'],
  ['daoForkBlock', 'dao'],
  ['eip150Block', 'tangerineWhistle'],
  ['eip155Block', 'spuriousDragon'],
  ['byzantiumBlock', 'byzantium'],
  ['constantinopleBlock', 'constantinople'],
  ['petersburgBlock', 'petersburg'],
  ['istanbulBlock', 'istanbul'],
  ['muirGlacierBlock', 'muirGlacier'],
  ['berlinBlock', 'berlin'],
  ['londonBlock', 'london'],
  ['arrowGlacierBlock', 'arrowGlacier'],
  ['grayGlacierBlock', 'grayGlacier'],
  ['mergeNetsplitBlock', 'mergeNetsplit'],
]
const TIME_FIELDS: [string, ScheduledFork][] = [
  ['shanghaiTime', 'shanghai'],
  ['cancunTime', 'cancun'],
  ['pragueTime', 'prague'],
  ['osakaTime', 'osaka'],
  ['bpo1Time', 'bpo1'],
  ['bpo2Time', 'bpo2'],
  ['bpo3Time', 'bpo3'],
  ['bpo4Time', 'bpo4'],
  ['bpo5Time', 'bpo5'],
]

/** Mainnet's blob parameters per fork, used when a genesis file gives no `blobSchedule`. */
export const DEFAULT_BLOB_SCHEDULE: Partial<Record<ScheduledFork, BlobParams>> = {
  cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477n },
  prague: { target: 6, max: 9, baseFeeUpdateFraction: 5007716n },
  osaka: { target: 6, max: 9, baseFeeUpdateFraction: 5007716n },
}

/** A JSON number or a decimal/hex string, as geth accepts them. */
function quantity(v: unknown, field: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v)
  if (typeof v === 'string') {
    if (isHex(v)) return hexToBigint(v)
    if (/^[0-9]+$/.test(v)) return BigInt(v)
  }
  throw new ChainSpecError(`${field} must be a non-negative integer or 0x quantity, got ${JSON.stringify(v)}`)
}

function bytesField(v: unknown, field: string, len?: number): Uint8Array {
  if (typeof v !== 'string' || !isHex(v, { strict: true })) throw new ChainSpecError(`${field} must be 0x-prefixed hex, got ${JSON.stringify(v)}`)
  const b = hexToBytes(v)
  if (len !== undefined && b.length !== len) throw new ChainSpecError(`${field} must be ${len} bytes, got ${b.length}`)
  return b
}

function parseAlloc(raw: unknown): Map<string, GenesisAccount> {
  if (raw === undefined) return new Map()
  if (typeof raw !== 'object' || raw === null) throw new ChainSpecError('alloc must be an object of address → account')
  const out = new Map<string, GenesisAccount>()
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const addr = bytesToHex(parseAddress(key.startsWith('0x') ? key : `0x${key}`))
    if (typeof value !== 'object' || value === null) throw new ChainSpecError(`alloc[${key}] must be an object`)
    const a = value as Record<string, unknown>
    const storage = new Map<bigint, bigint>()
    if (a.storage !== undefined) {
      if (typeof a.storage !== 'object' || a.storage === null) throw new ChainSpecError(`alloc[${key}].storage must be an object`)
      for (const [slot, val] of Object.entries(a.storage as Record<string, unknown>)) {
        storage.set(quantity(slot, `alloc[${key}].storage key`), quantity(val, `alloc[${key}].storage[${slot}]`))
      }
    }
    out.set(addr, {
      balance: a.balance === undefined ? 0n : quantity(a.balance, `alloc[${key}].balance`),
      nonce: a.nonce === undefined ? 0n : quantity(a.nonce, `alloc[${key}].nonce`),
      code: a.code === undefined ? new Uint8Array(0) : bytesField(a.code, `alloc[${key}].code`),
      storage,
    })
  }
  return out
}

/** Parses geth's genesis.json (config + header fields + alloc) into a chain spec. */
export function parseGenesisJson(json: unknown, name = 'custom'): ChainSpec {
  if (typeof json !== 'object' || json === null) throw new ChainSpecError('genesis must be a JSON object')
  const g = json as Record<string, unknown>
  const config = g.config as Record<string, unknown> | undefined
  if (typeof config !== 'object' || config === null) throw new ChainSpecError('genesis has no "config" object')
  if (config.chainId === undefined) throw new ChainSpecError('config.chainId is required')
  const chainId = quantity(config.chainId, 'config.chainId')
  const forks: Activation[] = [{ fork: 'frontier', block: 0n }]
  for (const [field, fork] of BLOCK_FIELDS) if (config[field] !== undefined && config[field] !== null) forks.push({ fork, block: quantity(config[field], `config.${field}`) })
  const ttd = config.terminalTotalDifficulty === undefined ? undefined : quantity(config.terminalTotalDifficulty, 'config.terminalTotalDifficulty')
  // A chain that starts merged (TTD 0) runs Paris rules from block 0.
  if (ttd === 0n) forks.push({ fork: 'paris', block: 0n, inForkId: false })
  for (const [field, fork] of TIME_FIELDS) if (config[field] !== undefined && config[field] !== null) forks.push({ fork, timestamp: quantity(config[field], `config.${field}`) })
  for (let i = 1; i < forks.length; i++) {
    const [a, b] = [forks[i - 1]!, forks[i]!]
    if ('block' in a && 'block' in b && b.block < a.block) throw new ChainSpecError(`config: ${b.fork} activates before ${a.fork}`)
    if ('timestamp' in a && 'timestamp' in b && b.timestamp < a.timestamp) throw new ChainSpecError(`config: ${b.fork} activates before ${a.fork}`)
  }
  const blobSchedule: ChainSpec['blobSchedule'] = { ...DEFAULT_BLOB_SCHEDULE }
  const bs = config.blobSchedule as Record<string, Record<string, unknown>> | undefined
  if (bs) {
    for (const [fork, p] of Object.entries(bs)) {
      blobSchedule[fork as ScheduledFork] = {
        target: Number(quantity(p.target, `config.blobSchedule.${fork}.target`)),
        max: Number(quantity(p.max, `config.blobSchedule.${fork}.max`)),
        baseFeeUpdateFraction: quantity(p.baseFeeUpdateFraction, `config.blobSchedule.${fork}.baseFeeUpdateFraction`),
      }
    }
  }
  const alloc = parseAlloc(g.alloc)
  return {
    name,
    chainId,
    networkId: chainId,
    forks,
    blobSchedule,
    terminalTotalDifficulty: ttd,
    depositContractAddress: config.depositContractAddress ? parseAddress(String(config.depositContractAddress)) : undefined,
    genesis: {
      timestamp: g.timestamp === undefined ? 0n : quantity(g.timestamp, 'timestamp'),
      gasLimit: g.gasLimit === undefined ? 5000n : quantity(g.gasLimit, 'gasLimit'),
      difficulty: g.difficulty === undefined ? 0n : quantity(g.difficulty, 'difficulty'),
      extraData: g.extraData === undefined ? new Uint8Array(0) : bytesField(g.extraData, 'extraData'),
      nonce: g.nonce === undefined ? new Uint8Array(8) : bigintToWord(quantity(g.nonce, 'nonce'), 8),
      mixHash: g.mixHash === undefined ? ZERO_HASH : bytesField(g.mixHash, 'mixHash', 32),
      coinbase: g.coinbase === undefined ? ZERO_ADDRESS : parseAddress(String(g.coinbase)),
      baseFeePerGas: g.baseFeePerGas === undefined || g.baseFeePerGas === null ? undefined : quantity(g.baseFeePerGas, 'baseFeePerGas'),
      excessBlobGas: g.excessBlobGas === undefined || g.excessBlobGas === null ? undefined : quantity(g.excessBlobGas, 'excessBlobGas'),
      blobGasUsed: g.blobGasUsed === undefined || g.blobGasUsed === null ? undefined : quantity(g.blobGasUsed, 'blobGasUsed'),
    },
    alloc: () => alloc,
    bootnodes: [],
  }
}

