/**
 * Mainnet forks in activation order, and the few per-fork rules that transaction validity and
 * intrinsic gas depend on. Activation (block numbers, timestamps) is chainspec's business
 * (layer 5), which builds on this list; the EVM keeps its own opcode tables.
 *
 * Names are lower camel case, as in src/evm (`paris`, `cancun`); {@link parseForkName} also
 * accepts the spellings the test fixtures use (`EIP150`, `EIP158`, `ConstantinopleFix`, `Merge`).
 */
import { MosaicError } from '../primitives/index.ts'

export const FORKS = [
  'frontier',
  'homestead',
  'tangerineWhistle',
  'spuriousDragon',
  'byzantium',
  'constantinople',
  'petersburg',
  'istanbul',
  'muirGlacier',
  'berlin',
  'london',
  'arrowGlacier',
  'grayGlacier',
  'paris',
  'shanghai',
  'cancun',
  'prague',
  'osaka',
] as const

export type ForkName = (typeof FORKS)[number]

const INDEX: ReadonlyMap<string, number> = new Map(FORKS.map((f, i) => [f, i]))

/** Position of `fork` in {@link FORKS}. */
export function forkIndex(fork: ForkName): number {
  const i = INDEX.get(fork)
  if (i === undefined) throw new MosaicError('UNKNOWN_FORK', 'unknown fork', { details: String(fork) })
  return i
}

/** Whether `fork` is `min` or a later fork. */
export function isForkAtLeast(fork: ForkName, min: ForkName): boolean {
  return forkIndex(fork) >= forkIndex(min)
}

export function isForkName(s: string): s is ForkName {
  return INDEX.has(s)
}

const ALIASES: Record<string, ForkName> = {
  eip150: 'tangerineWhistle',
  eip158: 'spuriousDragon',
  constantinoplefix: 'petersburg',
  merge: 'paris',
}

const LOWER: ReadonlyMap<string, ForkName> = new Map(FORKS.map((f) => [f.toLowerCase(), f]))

/** The fork named `s`, any case, fixture aliases included; undefined when unknown. */
export function parseForkName(s: string): ForkName | undefined {
  const k = s.toLowerCase()
  return LOWER.get(k) ?? ALIASES[k]
}

/**
 * What transaction validity and intrinsic gas depend on, per fork. Built once per fork by
 * {@link txRules}, so hot paths test booleans rather than compare fork positions.
 */
export interface TxRules {
  readonly fork: ForkName
  /** EIP-2 (Homestead): contract creation costs 53000; s must be in the lower half order. */
  readonly eip2: boolean
  /** EIP-155 (Spurious Dragon): replay-protected legacy signatures. */
  readonly eip155: boolean
  /** EIP-2028 (Istanbul): 16 gas per non-zero calldata byte instead of 68. */
  readonly eip2028: boolean
  /** EIP-2718 and EIP-2930 (Berlin): typed transactions, access lists. */
  readonly eip2930: boolean
  /** EIP-1559 (London): dynamic-fee transactions. */
  readonly eip1559: boolean
  /** EIP-3860 (Shanghai): initcode size limit and 2 gas per initcode word. */
  readonly eip3860: boolean
  /** EIP-3651 (Shanghai): the coinbase is warm at the start of a transaction. */
  readonly eip3651: boolean
  /** EIP-4844 (Cancun): blob transactions. */
  readonly eip4844: boolean
  /** EIP-7623 (Prague): calldata floor price. */
  readonly eip7623: boolean
  /** EIP-7702 (Prague): set-code transactions. */
  readonly eip7702: boolean
  /** EIP-7825 (Osaka): transaction gas limit cap. */
  readonly eip7825: boolean
  /** Blobs one transaction may carry on mainnet (the blob schedule; chainspec may override). */
  readonly maxBlobsPerTransaction: number
}

const RULES = new Map<ForkName, TxRules>()

export function txRules(fork: ForkName): TxRules {
  let r = RULES.get(fork)
  if (r) return r
  const at = (min: ForkName) => isForkAtLeast(fork, min)
  r = Object.freeze({
    fork,
    eip2: at('homestead'),
    eip155: at('spuriousDragon'),
    eip2028: at('istanbul'),
    eip2930: at('berlin'),
    eip1559: at('london'),
    eip3860: at('shanghai'),
    eip3651: at('shanghai'),
    eip4844: at('cancun'),
    eip7623: at('prague'),
    eip7702: at('prague'),
    eip7825: at('osaka'),
    // Cancun: 6 per block; Prague (EIP-7691): 9 per block; Osaka (EIP-7594): 6 per transaction.
    maxBlobsPerTransaction: !at('cancun') ? 0 : at('osaka') ? 6 : at('prague') ? 9 : 6,
  })
  RULES.set(fork, r)
  return r
}
