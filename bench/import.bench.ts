/**
 * Block import, side by side with @ethereumjs/vm: `bun bench/import.bench.ts [BLOCKS]`.
 *
 * Generates the bench chain (bench/chain.ts: ERC-20 and ETH transfers) on the dev chain (chain
 * id 31337, Prague), BLOCKS blocks (default 1,000) of transfers after its set-up blocks. The RLP block file is imported by Mosaic with the memory backend and with
 * RocksDB (size on disk printed), and the same blocks are run by ethereumjs' `runBlock` on its
 * own state from the same genesis (for at most ETHJS_SECONDS, then compared on the same prefix).
 * The memory import runs with the EVM's compiling tier as configured (auto unless MOSAIC_EVM_JIT
 * says otherwise) and with it off, after an unmeasured warm-up import.
 */
import { createBlockFromRLP } from '@ethereumjs/block'
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { Account, createAddressFromString } from '@ethereumjs/util'
import { createVM, runBlock } from '@ethereumjs/vm'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Blockchain, importBlockStream, readBlockFile } from '../src/blockchain/index.ts'
import { dev } from '../src/chainspec/index.ts'
import { jitMode, setJitMode } from '../src/evm/index.ts'
import { bigintToWord, bytesToHex, concatBytes } from '../src/primitives/index.ts'
import { openMemoryStore, openRocksStore, type KeyValueStore } from '../src/storage/index.ts'
import { generateBenchChain, SENDERS } from './chain.ts'

const ETHJS_SECONDS = 20

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

    // the EVM's compiling tier (auto by default) against the interpreter alone, both after an
    // import that warmed up the rest of the code (the tier's own compiling counts against it)
    const configured = jitMode()
    setJitMode('off')
    await mosaicImport(openMemoryStore(), file)
    setJitMode(configured)
    const mem = await mosaicImport(openMemoryStore(), file)
    setJitMode('off')
    const memInterp = await mosaicImport(openMemoryStore(), file)
    setJitMode(configured)
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
    row('mosaic memory', mem, `  (evm.jit ${jitMode()})`)
    row('  evm.jit off', memInterp, `  jit/interpreter time ${(mem.wall[mem.wall.length - 1]! / memInterp.wall[memInterp.wall.length - 1]!).toFixed(2)}x wall, ${(mem.cpu[mem.cpu.length - 1]! / memInterp.cpu[memInterp.cpu.length - 1]!).toFixed(2)}x CPU`)
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
