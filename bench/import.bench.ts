/**
 * Block import, side by side with @ethereumjs/vm: `bun bench/import.bench.ts [BLOCKS]`.
 *
 * Generates a dev chain (chain id 31337, Prague) of ERC-20 and ETH transfers: an ERC-20
 * compiled with solc and deployed in block 1, extra senders funded with ETH and tokens in the
 * next blocks, then BLOCKS blocks (default 1,000) of transfers from all senders to a growing set
 * of recipients. The RLP block file is imported by Mosaic with the memory backend and with
 * RocksDB (size on disk printed), and the same blocks are run by ethereumjs' `runBlock` on its
 * own state from the same genesis (for at most ETHJS_SECONDS, then compared on the same prefix).
 */
import { createBlockFromRLP } from '@ethereumjs/block'
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { Account, createAddressFromString } from '@ethereumjs/util'
import { createVM, runBlock } from '@ethereumjs/vm'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, importBlockStream, readBlockFile } from '../src/blockchain/index.ts'
import { dev, DEV_PRIVATE_KEYS } from '../src/chainspec/index.ts'
import { keccak256, privateKeyToAddress } from '../src/crypto/index.ts'
import { createAddress } from '../src/evm/index.ts'
import { bigintToWord, bytesToHex, concatBytes, hexToBytes, type Address } from '../src/primitives/index.ts'
import { buildBlock } from '../src/payload/index.ts'
import { openMemoryStore, openRocksStore, type KeyValueStore } from '../src/storage/index.ts'
import { encodeBlock, signTransaction, type Transaction } from '../src/types/index.ts'
import { compileSolidity } from './solc.ts'


const SENDERS = 200
const RECIPIENTS = 5000
const TXS_PER_BLOCK = 16
const ETHJS_SECONDS = 20

/** The creation code of bench/evm/token.sol's Token (constructor: the supply to the deployer). */
function compileToken(): Uint8Array {
  return compileSolidity(readFileSync(join(import.meta.dir, 'evm/token.sol'), 'utf8')).Token!.bytecode
}

interface Sender {
  key: Uint8Array
  address: Address
  nonce: bigint
}

/** The bench chain: its blocks' RLP and their gas, built on a chain on `db`. */
export function generateBenchChain(db: KeyValueStore, blocks: number): { rlp: Uint8Array[]; gas: bigint[]; txs: number } {
  const chain = Blockchain.open(db, dev)
  const devSenders: Sender[] = DEV_PRIVATE_KEYS.map((k) => ({ key: hexToBytes(k), address: privateKeyToAddress(hexToBytes(k)), nonce: 0n }))
  const extra: Sender[] = Array.from({ length: SENDERS }, (_, i) => {
    const key = keccak256(new TextEncoder().encode(`mosaic bench sender ${i}`))
    return { key, address: privateKeyToAddress(key), nonce: 0n }
  })
  const recipient = (i: number): Address => keccak256(bigintToWord(BigInt(i))).subarray(12)
  const sign = (s: Sender, to: Address | null, value: bigint, data: Uint8Array, gasLimit: bigint): { tx: Transaction; sender: Address } => ({
    tx: signTransaction({ type: 2, chainId: dev.chainId, nonce: s.nonce++, maxPriorityFeePerGas: 1n, maxFeePerGas: 10_000_000_000n, gasLimit, to, value, data, accessList: [] }, s.key),
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

/** Elapsed wall and CPU (user + system, all threads) ms after each block. */
interface Times {
  wall: number[]
  cpu: number[]
}

function stopwatch(): { times: Times; lap(): void } {
  const times: Times = { wall: [], cpu: [] }
  const wall0 = performance.now()
  const cpu0 = process.cpuUsage()
  return {
    times,
    lap() {
      const c = process.cpuUsage(cpu0)
      times.wall.push(performance.now() - wall0)
      times.cpu.push((c.user + c.system) / 1000)
    },
  }
}

/** Imports the file into a fresh chain on `db`. */
async function mosaicImport(db: KeyValueStore, file: string): Promise<Times> {
  const chain = Blockchain.open(db, dev)
  const clock = stopwatch()
  await importBlockStream(chain, readBlockFile(file), { onBlock: clock.lap })
  return clock.times
}

/** ethereumjs: runBlock over the blocks on its own Merkle state from the dev genesis, until `seconds` pass. */
async function ethereumjsRun(rlp: Uint8Array[], seconds: number): Promise<Times> {
  const common = createCustomCommon({ chainId: Number(dev.chainId), name: 'mosaic-dev' }, Mainnet, { hardfork: Hardfork.Prague })
  const vm = await createVM({ common })
  const stateManager = vm.stateManager
  for (const [addr, a] of dev.alloc()) {
    const address = createAddressFromString(addr)
    await stateManager.putAccount(address, new Account(a.nonce, a.balance))
    if (a.code.length) await stateManager.putCode(address, a.code)
    for (const [slot, value] of a.storage) await stateManager.putStorage(address, bigintToWord(slot), bigintToWord(value))
  }
  const genesisRoot = Blockchain.open(openMemoryStore(), dev).head().stateRoot
  if (bytesToHex(await stateManager.getStateRoot()) !== bytesToHex(genesisRoot)) throw new Error("ethereumjs: the genesis state root differs from Mosaic's")
  const clock = stopwatch()
  // runBlock re-executes and checks the state root, receipts root, bloom, gas used and requests hash
  for (const raw of rlp) {
    const block = createBlockFromRLP(raw, { common })
    await runBlock(vm, { block, skipHeaderValidation: true, skipHardForkValidation: true })
    clock.lap()
    if (clock.times.wall[clock.times.wall.length - 1]! > seconds * 1000) break
  }
  return clock.times
}

function dirSize(path: string): number {
  const out = Bun.spawnSync(['du', '-sb', path]).stdout.toString()
  return Number(out.split(/\s/)[0])
}

const mgasPerSec = (gas: bigint, ms: number) => Number(gas) / 1e3 / ms

export async function run(blocks = 1000): Promise<void> {
  console.log('\nBlock import (dev chain, Prague): Mosaic (memory, RocksDB) vs @ethereumjs/vm runBlock, same blocks')
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-import-bench-'))
  try {
    const t = performance.now()
    const genDb = await openRocksStore(join(dir, 'generate'))
    const chain = generateBenchChain(genDb, blocks)
    await genDb.close()
    const file = join(dir, 'chain.rlp')
    await Bun.write(file, concatBytes(...chain.rlp))
    const gasUpTo = (n: number) => chain.gas.slice(0, n).reduce((a, b) => a + b, 0n)
    console.log(
      `  chain: ${chain.rlp.length} blocks, ${chain.txs} txs (ERC-20 and ETH transfers from ${SENDERS} senders), ${(Number(gasUpTo(chain.rlp.length)) / 1e6).toFixed(1)} Mgas, generated in ${((performance.now() - t) / 1000).toFixed(1)}s`,
    )

    const mem = await mosaicImport(openMemoryStore(), file)
    const rocksDir = join(dir, 'rocks')
    const rocksDb = await openRocksStore(rocksDir)
    const rocks = await mosaicImport(rocksDb, file)
    await rocksDb.close()
    const ethjs = await ethereumjsRun(chain.rlp, ETHJS_SECONDS)

    const row = (name: string, times: Times, extra = '') => {
      const n = times.wall.length
      const wall = times.wall[n - 1]!
      const cpu = times.cpu[n - 1]!
      console.log(
        `  ${name.padEnd(15)} ${String(n).padStart(5)} blocks in ${(wall / 1000).toFixed(2).padStart(6)}s  ${(n / (wall / 1000)).toFixed(0).padStart(5)} blocks/s  ${mgasPerSec(gasUpTo(n), wall).toFixed(1).padStart(6)} Mgas/s  (CPU ${(cpu / 1000).toFixed(2)}s: ${mgasPerSec(gasUpTo(n), cpu).toFixed(1)} Mgas/s)${extra}`,
      )
    }
    row('mosaic memory', mem)
    row('mosaic rocksdb', rocks, `  database ${(dirSize(rocksDir) / 1e6).toFixed(1)} MB on disk`)
    row('ethereumjs', ethjs, ethjs.wall.length < chain.rlp.length ? `  stopped after ${ETHJS_SECONDS}s` : '')
    // Same blocks for both: the prefix ethereumjs ran.
    const n = ethjs.wall.length
    const ratio = (times: Times, k: keyof Times) => (ethjs[k][n - 1]! / times[k][n - 1]!).toFixed(1)
    console.log(`  ratio on blocks 1..${n} (time per gas, ethereumjs / Mosaic): memory ${ratio(mem, 'wall')}x wall, ${ratio(mem, 'cpu')}x CPU; rocksdb ${ratio(rocks, 'wall')}x wall, ${ratio(rocks, 'cpu')}x CPU`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.main) await run(process.argv[2] ? Number(process.argv[2]) : undefined)
