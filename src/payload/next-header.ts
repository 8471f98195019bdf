/**
 * The header of the next block, before any transaction: what the consensus side chooses (the
 * Engine API's payload attributes, or dev mode's clock and fee recipient) plus what the fork
 * rules of the child derive from its parent (EIP-1559 base fee, EIP-4844 excess blob gas,
 * EIP-4788 beacon root). One derivation for block building, dev mining and the RPC's `pending`.
 */
import { blobParamsAt, forkAt, type BlobParams, type ChainSpec } from '../chainspec/index.ts'
import { nextBaseFee, nextExcessBlobGas } from '../executor/index.ts'
import { ZERO_HASH, type Address, type Hash } from '../primitives/index.ts'
import { EMPTY_OMMERS_HASH, headerHash, isForkAtLeast, type ForkName, type Header, type Withdrawal } from '../types/index.ts'

/** What the block's proposer chooses (engine_forkchoiceUpdated's payload attributes, and more). */
export interface PayloadAttributes {
  timestamp: bigint
  feeRecipient: Address
  /** The beacon chain's randomness (EIP-4399), in `mixHash`. Default: zero. */
  prevRandao?: Hash
  /** Default: the parent's. */
  gasLimit?: bigint
  /** From Shanghai (EIP-4895). */
  withdrawals?: Withdrawal[]
  /** From Cancun (EIP-4788). Default: zero. */
  parentBeaconBlockRoot?: Hash
  extraData?: Uint8Array
  /** Dev mode only (anvil_setNextBlockBaseFeePerGas): the base fee instead of EIP-1559's derivation. */
  baseFeePerGas?: bigint
}

export interface HeaderTemplate {
  /** The child header with zero roots, zero gas used and the fork's derived fields. */
  header: Header
  /** The fork in force at the child. */
  fork: ForkName
  /** Blob parameters at the child's timestamp (Cancun onward). */
  blob: BlobParams | undefined
}

/** The child of `parent` (whose hash is `parentHash`) under `attrs`, by the child's fork rules. */
export function nextHeaderTemplate(parent: Header, spec: ChainSpec, attrs: PayloadAttributes, parentHash: Hash = headerHash(parent)): HeaderTemplate {
  const number = parent.number + 1n
  const fork = forkAt(spec, number, attrs.timestamp)
  const blob = blobParamsAt(spec, attrs.timestamp)
  const header: Header = {
    parentHash,
    ommersHash: EMPTY_OMMERS_HASH,
    coinbase: attrs.feeRecipient,
    stateRoot: ZERO_HASH,
    transactionsRoot: ZERO_HASH,
    receiptsRoot: ZERO_HASH,
    logsBloom: new Uint8Array(256),
    difficulty: 0n,
    number,
    gasLimit: attrs.gasLimit ?? parent.gasLimit,
    gasUsed: 0n,
    timestamp: attrs.timestamp,
    extraData: attrs.extraData ?? new Uint8Array(0),
    mixHash: attrs.prevRandao ?? ZERO_HASH,
    nonce: new Uint8Array(8),
  }
  if (isForkAtLeast(fork, 'london')) header.baseFeePerGas = attrs.baseFeePerGas ?? nextBaseFee(parent)
  if (isForkAtLeast(fork, 'cancun')) {
    header.blobGasUsed = 0n
    header.excessBlobGas = blob ? nextExcessBlobGas(parent, blob, fork) : 0n
    header.parentBeaconBlockRoot = attrs.parentBeaconBlockRoot ?? ZERO_HASH
  }
  return { header, fork, blob }
}
