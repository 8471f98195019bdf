/**
 * The execution environment of a block for RPC execution: fork (chainspec `forkAt`), the
 * executor's `BlockEnv`, the EVM's `BlockContext`, blob base fee from the header's excess blob
 * gas (EIP-4844, the chain's blob schedule), and BLOCKHASH over the canonical chain.
 */
import { blobParamsAt, forkAt, type ChainSpec } from '../../chainspec/index.ts'
import type { BlockContext } from '../../evm/index.ts'
import { blobBaseFee, defaultBlobParams, type BlockEnv } from '../../executor/index.ts'
import { bytesToBigint, type Address, type Hash } from '../../primitives/index.ts'
import type { ForkName, Header } from '../../types/index.ts'
import type { ChainReader } from '../backend.ts'

export interface ExecEnv {
  fork: ForkName
  env: BlockEnv
  /** BLOCKHASH source: canonical hashes below `env.number`. */
  blockHash: (n: bigint) => Hash | undefined
}

/** The blob gas price of a block with this header (undefined before Cancun). */
export function headerBlobBaseFee(spec: ChainSpec, h: Header): bigint | undefined {
  if (h.excessBlobGas === undefined) return undefined
  const fork = forkAt(spec, h.number, h.timestamp)
  return blobBaseFee(h.excessBlobGas, blobParamsAt(spec, h.timestamp) ?? defaultBlobParams(fork))
}

/** Block-level fields RPC callers may override (eth_call blockOverrides, simulate). */
export interface BlockOverrides {
  number?: bigint
  time?: bigint
  gasLimit?: bigint
  feeRecipient?: Address
  prevRandao?: Hash
  baseFeePerGas?: bigint
  blobBaseFee?: bigint
}

// Calls at one block share its environment (no overrides): the fork and the blob fee are worked
// out once per header object. Nothing writes into an ExecEnv; callers copy to change it.
const plainEnvs = new WeakMap<Header, ExecEnv>()

export function execEnv(chain: ChainReader, h: Header, o?: BlockOverrides): ExecEnv {
  if (o !== undefined) return makeEnv(chain, h, o)
  let x = plainEnvs.get(h)
  if (x === undefined) plainEnvs.set(h, (x = makeEnv(chain, h, {})))
  return x
}

function makeEnv(chain: ChainReader, h: Header, o: BlockOverrides): ExecEnv {
  const spec = chain.spec
  const number = o.number ?? h.number
  const timestamp = o.time ?? h.timestamp
  const fork = forkAt(spec, number, timestamp)
  const env: BlockEnv = {
    coinbase: o.feeRecipient ?? h.coinbase,
    number,
    timestamp,
    gasLimit: o.gasLimit ?? h.gasLimit,
    baseFee: o.baseFeePerGas ?? h.baseFeePerGas ?? 0n,
    prevRandao: bytesToBigint(o.prevRandao ?? h.mixHash),
    blobBaseFee: o.blobBaseFee ?? headerBlobBaseFee(spec, h) ?? 0n,
    chainId: spec.chainId,
  }
  return {
    fork,
    env,
    blockHash: (n) => (n < number && n <= chain.head().number ? chain.canonicalHash(n) : undefined),
  }
}

export function blockContext(env: BlockEnv): BlockContext {
  return { ...env }
}
