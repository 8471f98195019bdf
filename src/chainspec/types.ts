import type { Address, Hex } from '../primitives/index.ts'
import type { ForkName } from '../types/index.ts'

/** Blob-parameter-only forks (EIP-7892) change the blob schedule, not the EVM. */
export type BlobOnlyFork = 'bpo1' | 'bpo2' | 'bpo3' | 'bpo4' | 'bpo5'
/** `dao` and `mergeNetsplit` are fork-id points that change no execution rule. */
export type ScheduledFork = ForkName | 'dao' | 'mergeNetsplit' | BlobOnlyFork

/** A fork and when it activates: a block number (pre-merge forks) or a timestamp (after). */
export type Activation = ({ fork: ScheduledFork; block: bigint } | { fork: ScheduledFork; timestamp: bigint }) & {
  /** False for a transition that is not an EIP-2124 fork point (the merge, reached by difficulty). */
  inForkId?: boolean
}

/** EIP-4844 / EIP-7691 / EIP-7892 blob parameters. */
export interface BlobParams {
  target: number
  max: number
  baseFeeUpdateFraction: bigint
}

export interface GenesisAccount {
  balance: bigint
  nonce: bigint
  code: Uint8Array
  /** Slot → value, both 32-byte words as bigints; zero values are absent. */
  storage: Map<bigint, bigint>
}

/** The genesis block's header fields that a spec chooses; the rest follow from the forks. */
export interface GenesisHeaderFields {
  timestamp: bigint
  gasLimit: bigint
  difficulty: bigint
  extraData: Uint8Array
  nonce: Uint8Array
  mixHash: Uint8Array
  coinbase: Address
  baseFeePerGas?: bigint
  excessBlobGas?: bigint
  blobGasUsed?: bigint
}

export interface ChainSpec {
  name: string
  chainId: bigint
  networkId: bigint
  /** Ordered by activation. */
  forks: Activation[]
  /** Blob parameters by the fork that sets them (cancun, prague, bpo1, …). */
  blobSchedule: Partial<Record<ScheduledFork, BlobParams>>
  terminalTotalDifficulty?: bigint
  depositContractAddress?: Address
  genesis: GenesisHeaderFields
  /** Loaded on demand: mainnet's alloc has 8,893 accounts. */
  alloc: () => Map<string, GenesisAccount>
  bootnodes: string[]
  /** Dev chains: the keys of the accounts the genesis funds (the node's unlocked signer). */
  devKeys?: readonly Hex[]
  /** Dev chains made from anvil's flags: the options, recorded with the data directory. */
  devOptions?: DevChainOptions
}

/** anvil's flags for the dev chain (src/chainspec/dev-options.ts). */
export interface DevChainOptions {
  chainId?: bigint
  /** Funded accounts of the mnemonic (default 10, at most 1,000). */
  accounts?: number
  /** Each account's balance in ether (default 10,000). */
  balance?: bigint
  mnemonic?: string
  gasLimit?: bigint
  /** The genesis base fee in wei (later blocks follow EIP-1559). */
  baseFee?: bigint
  /** paris, shanghai, cancun, prague (default) or osaka: the newest fork at genesis. */
  hardfork?: string
  /** The genesis timestamp in seconds. */
  timestamp?: bigint
}
