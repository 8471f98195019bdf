/**
 * The Engine API's structures as Mosaic holds them once decoded: bytes as Uint8Array,
 * quantities as bigint. The JSON forms are the spec's (paris.md, shanghai.md, cancun.md).
 */
import type { Address, Hash } from '../primitives/index.ts'
import type { Block, Withdrawal } from '../types/index.ts'

/** The forks the Engine API distinguishes: the merge and every timestamp fork after it. */
export type EngineFork = 'paris' | 'shanghai' | 'cancun' | 'prague' | 'osaka'

/** Which ExecutionPayload structure: V1 (Paris), V2 (+ withdrawals), V3 (+ blob gas). */
export type PayloadShape = 1 | 2 | 3

/** ExecutionPayloadV1–V3; fields of later versions are present exactly in their shape. */
export interface ExecutionPayload {
  parentHash: Hash
  feeRecipient: Address
  stateRoot: Hash
  receiptsRoot: Hash
  logsBloom: Uint8Array
  prevRandao: Hash
  blockNumber: bigint
  gasLimit: bigint
  gasUsed: bigint
  timestamp: bigint
  extraData: Uint8Array
  baseFeePerGas: bigint
  blockHash: Hash
  /** Opaque EIP-2718 encodings, as sent: decoded only after the structure is accepted. */
  transactions: Uint8Array[]
  /** V2 and V3. */
  withdrawals?: Withdrawal[]
  /** V3. */
  blobGasUsed?: bigint
  /** V3. */
  excessBlobGas?: bigint
}

/** ForkchoiceStateV1 (paris.md). */
export interface ForkchoiceState {
  headBlockHash: Hash
  safeBlockHash: Hash
  finalizedBlockHash: Hash
}

/**
 * A block the chain cannot reach from what it stores, named by the consensus client: a
 * forkchoiceUpdated head (with the whole state, for safe and finalized once synced) or a
 * newPayload block whose parent is missing (with the block, checked against its hash already).
 */
export interface SyncTarget {
  hash: Hash
  state?: ForkchoiceState
  block?: Block
}

/** PayloadAttributesV1–V3: V2 adds withdrawals, V3 parentBeaconBlockRoot. */
export interface PayloadAttributes {
  timestamp: bigint
  prevRandao: Hash
  suggestedFeeRecipient: Address
  withdrawals?: Withdrawal[]
  parentBeaconBlockRoot?: Hash
}

export type PayloadStatusKind = 'VALID' | 'INVALID' | 'SYNCING' | 'ACCEPTED' | 'INVALID_BLOCK_HASH'

/** PayloadStatusV1 (paris.md), with `latestValidHash` still as bytes. */
export interface PayloadStatus {
  status: PayloadStatusKind
  latestValidHash: Hash | null
  validationError: string | null
}

/**
 * An Engine API method: its JSON-RPC params in, its result (or a promise of it) out; thrown
 * RpcErrors keep their codes. Dependencies are closed over when the table is built.
 */
export type EngineHandler = (params: unknown) => unknown

/** Full method name → handler. */
export type EngineMethods = Record<string, EngineHandler>
