/**
 * The bench chain, shared by the import and Engine API benches: a Prague chain of ERC-20 and
 * ETH transfers. An ERC-20 (bench/evm/token.sol, compiled with solc) is deployed in block 1,
 * SENDERS extra senders are funded with ETH and tokens in the next blocks, then BLOCKS blocks of
 * TXS_PER_BLOCK transfers from all senders to a growing set of recipients.
 *
 * It is built on the dev chain by default (ethereumjs can start from its genesis), or on any
 * spec, such as `benchGenesis()`'s genesis.json (the dev allocation on a custom chain, which a
 * node takes with `--chain FILE` and drives over the Engine API).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Blockchain } from '../src/blockchain/index.ts'
import { dev, DEV_PRIVATE_KEYS, type ChainSpec } from '../src/chainspec/index.ts'
import { keccak256, privateKeyToAddress } from '../src/crypto/index.ts'
import { createAddress } from '../src/evm/index.ts'
import { bigintToHex, bigintToWord, bytesToHex, concatBytes, hexToBytes, type Address } from '../src/primitives/index.ts'
import { buildBlock } from '../src/payload/index.ts'
import type { KeyValueStore } from '../src/storage/index.ts'
import { encodeBlock, signTransaction, type Transaction } from '../src/types/index.ts'
import { compileSolidity } from './solc.ts'

export const SENDERS = 200
const RECIPIENTS = 5000
const TXS_PER_BLOCK = 16

/** The creation code of bench/evm/token.sol's Token (constructor: the supply to the deployer). */
function compileToken(): Uint8Array {
  return compileSolidity(readFileSync(join(import.meta.dir, 'evm/token.sol'), 'utf8')).Token!.bytecode
}

export interface Sender {
  key: Uint8Array
  address: Address
  nonce: bigint
}

/** `count` senders with keys derived from `label` (the same ones every run). */
export function benchSenders(label: string, count: number): Sender[] {
  return Array.from({ length: count }, (_, i) => {
    const key = keccak256(new TextEncoder().encode(`${label} ${i}`))
    return { key, address: privateKeyToAddress(key), nonce: 0n }
  })
}

/**
 * A geth genesis.json with the dev chain's forks (all through Prague at genesis, merged), chain
 * id and allocation, plus `funded` accounts with 1,000 ETH each.
 */
export function benchGenesis(funded: readonly Address[] = []): Record<string, unknown> {
  const alloc: Record<string, Record<string, unknown>> = {}
  for (const [addr, a] of dev.alloc()) {
    const storage = Object.fromEntries([...a.storage].map(([k, v]) => [bytesToHex(bigintToWord(k)), bytesToHex(bigintToWord(v))]))
    alloc[addr] = { balance: bigintToHex(a.balance), nonce: bigintToHex(a.nonce), code: bytesToHex(a.code), storage }
  }
  for (const a of funded) alloc[bytesToHex(a)] = { balance: bigintToHex(10n ** 21n) }
  const atBlock0 = ['homestead', 'eip150', 'eip155', 'eip158', 'byzantium', 'constantinople', 'petersburg', 'istanbul', 'berlin', 'london', 'mergeNetsplit']
  return {
    config: {
      chainId: Number(dev.chainId),
      ...Object.fromEntries(atBlock0.map((f) => [`${f}Block`, 0])),
      terminalTotalDifficulty: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      pragueTime: 0,
    },
    alloc,
    gasLimit: bigintToHex(dev.genesis.gasLimit),
    difficulty: '0x0',
    timestamp: '0x0',
  }
}

/** The bench chain: its blocks' RLP and their gas, built on a chain of `spec` on `db`. */
export function generateBenchChain(db: KeyValueStore, blocks: number, spec: ChainSpec = dev): { rlp: Uint8Array[]; gas: bigint[]; txs: number } {
  const chain = Blockchain.open(db, spec)
  const devSenders: Sender[] = DEV_PRIVATE_KEYS.map((k) => ({ key: hexToBytes(k), address: privateKeyToAddress(hexToBytes(k)), nonce: 0n }))
  const extra = benchSenders('mosaic bench sender', SENDERS)
  const recipient = (i: number): Address => keccak256(bigintToWord(BigInt(i))).subarray(12)
  const sign = (s: Sender, to: Address | null, value: bigint, data: Uint8Array, gasLimit: bigint): { tx: Transaction; sender: Address } => ({
    tx: signTransaction({ type: 2, chainId: spec.chainId, nonce: s.nonce++, maxPriorityFeePerGas: 1n, maxFeePerGas: 10_000_000_000n, gasLimit, to, value, data, accessList: [] }, s.key),
    sender: s.address,
  })
  const deployer = devSenders[0]!
  const token = createAddress(deployer.address, 0n)
  const transferData = (to: Address, amount: bigint) => concatBytes(hexToBytes('0xa9059cbb'), bigintToWord(BigInt(`0x${bytesToHex(to).slice(2)}`)), bigintToWord(amount))
  const rlp: Uint8Array[] = []
  const gas: bigint[] = []
  let txs = 0
  const seal = (list: { tx: Transaction; sender: Address }[]) => {
    const parent = chain.head()
    const built = buildBlock(chain, list, { timestamp: parent.timestamp + 12n, coinbase: new Uint8Array(20).fill(0xcb) })
    if (built.skipped.length) throw new Error(`block ${parent.number + 1n}: ${built.skipped[0]!.error.message}`)
    const failed = built.results.findIndex((r) => r.execution.status !== 'success')
    if (failed >= 0) throw new Error(`block ${parent.number + 1n}: transaction ${failed} ${built.results[failed]!.execution.status}`)
    chain.insertExecuted(built.executed)
    rlp.push(encodeBlock(built.executed.block))
    gas.push(built.executed.block.header.gasUsed)
    txs += list.length
  }
  const supply = 10n ** 30n
  seal([sign(deployer, null, 0n, concatBytes(compileToken(), bigintToWord(supply)), 2_000_000n)])
  // fund the extra senders: ETH from the dev accounts, tokens from the deployer
  for (let i = 0; i < SENDERS; i += 50) {
    const list = []
    for (const s of extra.slice(i, i + 50)) {
      list.push(sign(devSenders[1 + (list.length % 9)]!, s.address, 10n ** 19n, new Uint8Array(0), 21_000n))
      list.push(sign(deployer, token, 0n, transferData(s.address, 10n ** 24n), 100_000n))
    }
    seal(list)
  }
  const all = extra
  let k = 0
  for (let b = 0; b < blocks; b++) {
    const list = []
    for (let j = 0; j < TXS_PER_BLOCK; j++, k++) {
      const from = all[k % all.length]!
      const to = recipient((k * 7919) % RECIPIENTS)
      list.push(j % 2 === 0 ? sign(from, token, 0n, transferData(to, BigInt(1 + (k % 1000))), 100_000n) : sign(from, to, BigInt(1 + k), new Uint8Array(0), 21_000n))
    }
    seal(list)
  }
  return { rlp, gas, txs }
}
