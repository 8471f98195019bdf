/** Helpers for tests on the dev chain: signed transfers and blocks built on a chain. */
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { buildBlock, type BuiltBlock } from '../../src/payload/index.ts'
import { hexToBytes, parseAddress, type Address } from '../../src/primitives/index.ts'
import { signTransaction, type Transaction } from '../../src/types/index.ts'
import type { Blockchain } from '../../src/blockchain/index.ts'

export const devKey = (i: number): Uint8Array => hexToBytes(DEV_PRIVATE_KEYS[i]!)
export const devAddress = (i: number): Address => parseAddress(DEV_ACCOUNTS[i]!)

/** An EIP-1559 transaction from dev account `from`. */
export function transfer(from: number, nonce: bigint, to: Address, value: bigint, opts: { data?: Uint8Array; gasLimit?: bigint; toNull?: boolean } = {}): Transaction {
  return signTransaction(
    {
      type: 2,
      chainId: 31_337n,
      nonce,
      maxPriorityFeePerGas: 1_000_000_000n,
      maxFeePerGas: 100_000_000_000n,
      gasLimit: opts.gasLimit ?? 100_000n,
      to: opts.toNull ? null : to,
      value,
      data: opts.data ?? new Uint8Array(0),
      accessList: [],
    },
    devKey(from),
  )
}

/** Builds a child of `parentHash` (default head) from `txs` sent by dev account `from`. */
export function build(chain: Blockchain, txs: { tx: Transaction; from: number }[], opts: { parentHash?: Uint8Array; timestamp?: bigint; coinbase?: Address } = {}): BuiltBlock {
  const parent = chain.headerByHash(opts.parentHash ?? chain.headBlockHash())!
  return buildBlock(
    chain,
    txs.map(({ tx, from }) => ({ tx, sender: devAddress(from) })),
    { parentHash: opts.parentHash, timestamp: opts.timestamp ?? parent.timestamp + 12n, coinbase: opts.coinbase ?? new Uint8Array(20) },
  )
}
