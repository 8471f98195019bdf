/**
 * Fixture-derived checks: for the Osaka EIP state tests (CLZ, modexp bounds and pricing,
 * P256VERIFY) run the transaction's message through executeMessage on a MemoryHost and compare
 * the post-state storage, code and nonces of the fixture (balances need the executor's fee
 * logic and are not compared). This is not the state-test runner: transactions with
 * authorization lists, blobs or expected exceptions are skipped.
 */
import { describe, expect, test } from 'bun:test'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { executeMessage } from './execute.ts'
import { createAddress } from './address.ts'
import { getFork, isForkName } from './forks.ts'
import type { EvmForkName } from './frame.ts'
import { precompileAddresses } from './precompiles/index.ts'
import { MemoryHost } from './testing/memory-host.ts'

const ROOT = process.env.MOSAIC_EEST_OSAKA ?? '/work/shared/fixtures/eest-osaka/state_tests/osaka'
const DIRS = ['eip7939_count_leading_zeros', 'eip7823_modexp_upper_bounds', 'eip7883_modexp_gas_increase', 'eip7951_p256verify_precompiles']

function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : n.endsWith('.json') ? [p] : []
  })
}

interface Account { nonce: string; balance: string; code: string; storage: Record<string, string> }

function intrinsicGas(data: Uint8Array, accessList: { address: string; storageKeys: string[] }[] | undefined): number {
  let gas = 21000
  for (const b of data) gas += b === 0 ? 4 : 16
  for (const e of accessList ?? []) gas += 2400 + 1900 * e.storageKeys.length
  return gas
}

function runCase(t: any, forkName: EvmForkName, idx: { data: number; gas: number; value: number }, post: Record<string, Account>): string | undefined {
  const tx = t.transaction
  const fork = getFork(forkName)
  const host = new MemoryHost({
    block: {
      coinbase: hexToBytes(t.env.currentCoinbase),
      number: BigInt(t.env.currentNumber),
      timestamp: BigInt(t.env.currentTimestamp),
      gasLimit: BigInt(t.env.currentGasLimit),
      prevRandao: BigInt(t.env.currentRandom ?? 0),
      baseFee: BigInt(t.env.currentBaseFee ?? 0),
    },
    tx: { origin: hexToBytes(tx.sender), gasPrice: BigInt(tx.gasPrice ?? tx.maxFeePerGas) },
  })
  for (const [addr, a] of Object.entries(t.pre as Record<string, Account>)) {
    host.setAccount(hexToBytes(addr), {
      nonce: BigInt(a.nonce),
      balance: BigInt(a.balance),
      code: hexToBytes(a.code),
      storage: new Map(Object.entries(a.storage).map(([k, v]) => [BigInt(k), BigInt(v)])),
    })
  }
  host.beginTransaction()
  const sender = hexToBytes(tx.sender)
  const isCreate = !tx.to
  const to = isCreate ? createAddress(sender, host.getNonce(sender)) : hexToBytes(tx.to)
  const data = hexToBytes(tx.data[idx.data])
  const accessList = tx.accessLists?.[idx.data] ?? undefined
  const gasLimit = Number(BigInt(tx.gasLimit[idx.gas]))
  const value = BigInt(tx.value[idx.value])
  const gasPrice = BigInt(tx.gasPrice ?? tx.maxFeePerGas)
  // what the executor does before the message: buy gas, bump the nonce, warm addresses
  host.setBalance(sender, host.getBalance(sender) - BigInt(gasLimit) * gasPrice)
  host.setNonce(sender, host.getNonce(sender) + 1n)
  for (const a of [sender, to, hexToBytes(t.env.currentCoinbase), ...precompileAddresses(fork)]) host.warmAddress(a)
  for (const e of accessList ?? []) {
    host.warmAddress(hexToBytes(e.address))
    for (const k of e.storageKeys) host.warmSlot(hexToBytes(e.address), BigInt(k))
  }
  const gas = gasLimit - intrinsicGas(data, accessList) - (isCreate ? 32000 + 2 * Math.ceil(data.length / 32) : 0)
  if (gas < 0) return 'skip'
  executeMessage(host, { kind: isCreate ? 'create' : 'call', caller: sender, to, value, input: data, gas }, fork)
  for (const [addr, want] of Object.entries(post)) {
    const a = host.account(hexToBytes(addr))
    const storage = Object.fromEntries([...(a?.storage ?? new Map())].map(([k, v]) => [k, v]))
    const wantStorage = Object.fromEntries(Object.entries(want.storage).map(([k, v]) => [BigInt(k), BigInt(v)]))
    if (JSON.stringify(storage, (_, v) => (typeof v === 'bigint' ? v.toString(16) : v)) !==
      JSON.stringify(wantStorage, (_, v) => (typeof v === 'bigint' ? v.toString(16) : v))) {
      return `storage of ${addr}: got ${JSON.stringify(storage, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}, want ${JSON.stringify(want.storage)}`
    }
    if (bytesToHex(a?.code ?? new Uint8Array(0)) !== want.code.toLowerCase()) return `code of ${addr}`
    if ((a?.nonce ?? 0n) !== BigInt(want.nonce)) return `nonce of ${addr}: got ${a?.nonce}, want ${BigInt(want.nonce)}`
  }
  return undefined
}

for (const dir of DIRS) {
  const list = files(join(ROOT, dir))
  describe.skipIf(list.length === 0)(`EEST ${dir} (storage, code, nonces)`, () => {
    for (const file of list) {
      test(file.slice(ROOT.length + 1), () => {
        const fixtures = JSON.parse(readFileSync(file, 'utf8'))
        let ran = 0
        const failures: string[] = []
        for (const [name, t] of Object.entries<any>(fixtures)) {
          if (t.transaction.authorizationList || t.transaction.blobVersionedHashes) continue
          for (const [forkKey, posts] of Object.entries<any[]>(t.post)) {
            const forkName = forkKey.toLowerCase()
            if (!isForkName(forkName)) continue
            for (const p of posts) {
            if (p.expectException) continue
            const err = runCase(t, forkName, p.indexes, p.state)
            if (err === 'skip') continue
            ran++
            if (err) failures.push(`${name}: ${err}`)
            }
          }
        }
        expect(failures.slice(0, 5)).toEqual([])
        if (process.env.MOSAIC_FIXTURE_COUNTS) console.log(`${file.slice(ROOT.length + 1)}: ${ran} cases`)
      })
    }
  })
}
