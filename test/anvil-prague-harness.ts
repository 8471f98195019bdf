/**
 * Drives the Prague comparison with anvil: every transaction is signed with Mosaic's
 * signTransaction, sent raw to anvil (which mines it into its own block), then run through
 * Mosaic's executeTransaction over a JournaledState on a MemoryState with the block env of the
 * block anvil mined. Afterwards receipts (status, gas used, logs) and the state of every account
 * Mosaic touched (balance, nonce, code, changed slots) are compared with anvil's, read back
 * over JSON-RPC. Block-level system writes (the EIP-2935 parent hash) are not part of
 * executeTransaction, so the history contract's slot for the new block is copied from anvil.
 */
import { expect } from 'bun:test'
import type { Anvil } from '../bench/anvil.ts'
import { privateKeyToPublicKey, publicKeyToAddress } from '../src/crypto/index.ts'
import { executeTransaction, type BlockEnv, type TransactionResult } from '../src/executor/index.ts'
import { bigintToHex, bytesToHex, hexToBigint, hexToBytes, type Address, type Hash } from '../src/primitives/index.ts'
import { addressKey, JournaledState, MemoryState } from '../src/state/index.ts'
import { encodeTransaction, signTransaction, type Transaction, type UnsignedTransaction } from '../src/types/index.ts'

export const CHAIN_ID = 31337n
export const MNEMONIC = 'test test test test test test test test test test test junk'
/** The first dev accounts of that mnemonic (m/44'/60'/0'/0/i); their addresses are checked. */
export const DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
].map((k) => hexToBytes(k))
export const DEV_ADDRESSES = ['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266', '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc']
export const HISTORY = hexToBytes('0x0000f90827f1c53a10cb7a02335b175320002935') // EIP-2935
const HISTORY_SERVE_WINDOW = 8191n

export const addressOf = (key: Uint8Array): Address => publicKeyToAddress(privateKeyToPublicKey(key))

interface RpcBlock {
  number: string
  hash: string
  miner: string
  timestamp: string
  gasLimit: string
  baseFeePerGas: string
  mixHash: string
  excessBlobGas?: string
}
interface RpcLog {
  address: string
  topics: string[]
  data: string
}
interface RpcReceipt {
  status: string
  gasUsed: string
  blockNumber: string
  contractAddress: string | null
  logs: RpcLog[]
}

export interface Sent {
  tx: Transaction
  receipt: RpcReceipt
  mosaic: TransactionResult
  block: bigint
}

export class PragueComparison {
  readonly base = new MemoryState()
  private readonly hashes = new Map<bigint, Hash>()

  constructor(readonly anvil: Anvil) {}

  /** Copies the dev accounts and the history contract from anvil's genesis into the base state. */
  async init(): Promise<void> {
    for (const key of DEV_KEYS) {
      const a = addressOf(key)
      this.base.setAccount(a, { balance: await this.balance(a), nonce: await this.nonce(a) })
    }
    const code = hexToBytes(await this.anvil.rpc<string>('eth_getCode', [bytesToHex(HISTORY), 'latest']))
    this.base.setAccount(HISTORY, { code, nonce: await this.nonce(HISTORY) })
    const genesis = await this.anvil.rpc<RpcBlock>('eth_getBlockByNumber', ['0x0', false])
    this.hashes.set(0n, hexToBytes(genesis.hash))
  }

  nonceOf(a: Address): bigint {
    return this.base.getAccount(a)?.nonce ?? 0n
  }

  /** Signs, sends to anvil, replays in Mosaic, and checks receipt and touched state. */
  async send(unsigned: UnsignedTransaction, key: Uint8Array, extraAddresses: Address[] = []): Promise<Sent> {
    const tx = signTransaction(unsigned, key)
    const sender = addressOf(key)
    const hash = await this.anvil.rpc<string>('eth_sendRawTransaction', [bytesToHex(encodeTransaction(tx))])
    const receipt = await this.receipt(hash)
    const rpcBlock = await this.anvil.rpc<RpcBlock>('eth_getBlockByNumber', [receipt.blockNumber, false])
    const number = hexToBigint(rpcBlock.number)
    this.hashes.set(number, hexToBytes(rpcBlock.hash))
    const env: BlockEnv = {
      coinbase: hexToBytes(rpcBlock.miner),
      number,
      timestamp: hexToBigint(rpcBlock.timestamp),
      gasLimit: hexToBigint(rpcBlock.gasLimit),
      baseFee: hexToBigint(rpcBlock.baseFeePerGas),
      prevRandao: hexToBigint(rpcBlock.mixHash),
      blobBaseFee: 1n, // excess blob gas stays 0: no blob transactions here
      chainId: CHAIN_ID,
    }
    expect(hexToBigint(rpcBlock.excessBlobGas ?? '0x0')).toBe(0n)
    await this.syncHistory(number)
    const state = new JournaledState(this.base, { block: env, blockHash: (n) => this.hashes.get(n) })
    const mosaic = executeTransaction(state, tx, sender, env, 'prague')
    this.base.apply(state.blockDiff())
    // receipt
    const where = `tx ${hash} (block ${number})`
    expect(Number(mosaic.receipt.status), `${where} status`).toBe(Number(hexToBigint(receipt.status)))
    expect(mosaic.gasUsed, `${where} gas used`).toBe(hexToBigint(receipt.gasUsed))
    expect(mosaic.receipt.logs.map(logHex), `${where} logs`).toEqual(receipt.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics, data: l.data })))
    // state of every account Mosaic changed, and of the sender, target, coinbase and extras
    const addresses = new Map<string, Address>()
    for (const a of [sender, env.coinbase, ...(tx.to ? [tx.to] : []), ...extraAddresses]) addresses.set(bytesToHex(a), a)
    for (const d of mosaic.diff.values()) addresses.set(bytesToHex(d.address), d.address)
    for (const [hex, a] of addresses) {
      const mine = this.base.getAccount(a)
      expect(mine?.balance ?? 0n, `${where} balance of ${hex}`).toBe(await this.balance(a))
      expect(mine?.nonce ?? 0n, `${where} nonce of ${hex}`).toBe(await this.nonce(a))
      expect<string>(bytesToHex(mine?.code ?? new Uint8Array(0)), `${where} code of ${hex}`).toBe(await this.anvil.rpc<string>('eth_getCode', [hex, 'latest']))
    }
    for (const d of mosaic.diff.values()) {
      for (const slot of d.storage.keys()) expect(this.base.getStorage(d.address, slot), `${where} slot ${slot} of ${bytesToHex(d.address)}`).toBe(await this.storage(d.address, slot))
    }
    return { tx, receipt, mosaic, block: number }
  }

  /** Anvil mines on arrival, but the receipt may take a moment to appear (bounded wait). */
  private async receipt(hash: string): Promise<RpcReceipt> {
    for (let i = 0; i < 100; i++) {
      const r = await this.anvil.rpc<RpcReceipt | null>('eth_getTransactionReceipt', [hash])
      if (r) return r
      await Bun.sleep(50)
    }
    throw new Error(`anvil did not mine ${hash} within 5 s`)
  }

  /** Mosaic's value of `slot` at `a` equals anvil's. */
  async expectSlot(a: Address, slot: bigint, value?: bigint): Promise<void> {
    const theirs = await this.storage(a, slot)
    expect(this.base.getStorage(a, slot), `slot ${slot} of ${bytesToHex(a)}`).toBe(theirs)
    if (value !== undefined) expect(theirs).toBe(value)
  }

  /** EIP-2935: anvil wrote the parent hash of block `number` before its transactions. */
  private async syncHistory(number: bigint): Promise<void> {
    const slot = (number - 1n) % HISTORY_SERVE_WINDOW
    const value = await this.storage(HISTORY, slot)
    const parent = this.hashes.get(number - 1n)
    if (parent) expect(value, 'history contract holds the parent hash').toBe(hexToBigint(bytesToHex(parent)))
    this.base.accounts.get(addressKey(HISTORY))!.storage.set(slot, value)
  }

  private balance = async (a: Address) => hexToBigint(await this.anvil.rpc<string>('eth_getBalance', [bytesToHex(a), 'latest']))
  private nonce = async (a: Address) => hexToBigint(await this.anvil.rpc<string>('eth_getTransactionCount', [bytesToHex(a), 'latest']))
  private storage = async (a: Address, slot: bigint) => hexToBigint(await this.anvil.rpc<string>('eth_getStorageAt', [bytesToHex(a), bigintToHex(slot), 'latest']))
}

function logHex(l: { address: Address; topics: Hash[]; data: Uint8Array }): { address: string; topics: string[]; data: string } {
  return { address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)), data: bytesToHex(l.data) }
}
