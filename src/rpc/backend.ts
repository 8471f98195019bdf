/**
 * What the RPC layer reads and drives, as small capability interfaces carrying plain data. The
 * execution profile implements them over blockchain, state, txpool and payload; tests use
 * in-memory fakes. Each method names its consumers.
 */
import type { Address } from '../primitives/index.ts'
import type { AccountProof } from '../state/index.ts'
import type { Block, Header, Receipt, Transaction } from '../types/index.ts'

/** The chain, its head events and state views are the blockchain layer's capability (src/blockchain/chain-reader.ts). */
export type { ChainReader, HeadBlock, HeadEvent, StateView, TxLocation } from '../blockchain/index.ts'

/** An account and storage proof (EIP-1186, eth_getProof), as src/state makes it. */
export type { AccountProof }

/** Dev-mode chain controls are the payload layer's (src/payload/dev-controls.ts). */
export type { DevControls } from '../payload/index.ts'

/** Dev-mode accounts whose keys the node holds. Consumer: eth_accounts, eth_sendTransaction, eth_sign*. */
export interface DevSigner {
  accounts(): Address[]
  /** The private key of an unlocked account, or undefined. */
  privateKey(address: Address): Uint8Array | undefined
}

/** Block building used by eth_call at `pending` and by dev mining. */
export interface PendingBlock {
  /** The header the next block would get (number, timestamp, base fee, gas limit...). */
  nextHeader(): Header
  /** The block mining now would produce, with its senders (eth_getBlockByNumber("pending")); dev mode only. */
  block?(): { block: Block; senders: Address[] }
}

/** Re-exported so that namespace files import one module. */
export type { Block, Header, Receipt, Transaction }
