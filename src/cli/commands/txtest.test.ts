import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { privateKeyToAddress } from '../../crypto/index.ts'
import { encodeTransaction, signTransaction, transactionHash } from '../../types/index.ts'
import { fixturePath } from '../../../test/fixtures.ts'
import { runTxtest, type TxtestDeps } from './txtest.ts'

const MAIN = resolve(import.meta.dir, '../main.ts')
const FIXTURE = fixturePath('ethereum-tests', 'TransactionTests', 'ttNonce', 'TransactionWithHighNonce64Minus2.json')

const dir = mkdtempSync(join(tmpdir(), 'mosaic-txtest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const KEY = hexToBytes('0x4646464646464646464646464646464646464646464646464646464646464646')
const tx = signTransaction(
  { type: 0, nonce: 9n, gasPrice: 20_000_000_000n, gasLimit: 21_000n, to: hexToBytes('0x3535353535353535353535353535353535353535'), value: 10n ** 18n, data: new Uint8Array(0), chainId: 1n },
  KEY,
)
const good = {
  txbytes: bytesToHex(encodeTransaction(tx)),
  result: {
    Frontier: { exception: 'TransactionException.INVALID_SIGNATURE_VRS', intrinsicGas: '0x00' },
    Berlin: { hash: bytesToHex(transactionHash(tx)), sender: bytesToHex(privateKeyToAddress(KEY)), intrinsicGas: '0x5208' },
  },
}
const goodFile = join(dir, 'good.json')
writeFileSync(goodFile, JSON.stringify({ eip155: good }))
writeFileSync(join(dir, 'notes.txt'), 'not a fixture')
mkdirSync(join(dir, 'sub'))
const badFile = join(dir, 'sub', 'bad.json')
writeFileSync(badFile, JSON.stringify({ wrongGas: { ...good, result: { London: { ...good.result.Berlin, intrinsicGas: '0x5209' } } } }))

function capture(isTTY = false): TxtestDeps & { stdout: string; stderr: string } {
  const d = { stdout: '', stderr: '', isTTY, out: (t: string) => void (d.stdout += t), err: (t: string) => void (d.stderr += t) }
  return d
}

describe('mosaic txtest (in process)', () => {
  test('a passing file: summary on stdout, exit 0', async () => {
    const d = capture()
    expect(await runTxtest([goodFile], d)).toBe(0)
    expect(d.stdout).toBe('2 passed, 0 failed\n')
    expect(d.stderr).toContain('1/1 files')
  })
  test('a directory is searched recursively; failures are listed, exit 1', async () => {
    const d = capture(true)
    expect(await runTxtest([dir], d)).toBe(1)
    expect(d.stdout).toContain('FAIL')
    expect(d.stdout).toContain('wrongGas [London]: intrinsic gas 21000 != 21001')
    expect(d.stdout.trimEnd().endsWith('2 passed, 1 failed')).toBe(true)
    expect(d.stderr.startsWith('\r')).toBe(true)
  })
  test('--fork keeps one fork, fixture spellings accepted', async () => {
    const d = capture()
    expect(await runTxtest(['--json', '--fork', 'Berlin', goodFile], d)).toBe(0)
    const out = JSON.parse(d.stdout)
    expect(out.map((r: { fork: string }) => r.fork)).toEqual(['Berlin'])
    expect(d.stderr).toBe('')
  })
})

describe('mosaic txtest (spawned)', () => {
  const run = (...args: string[]) => Bun.spawnSync(['bun', MAIN, 'txtest', ...args], { stdout: 'pipe', stderr: 'pipe' })

  test('--json on one fixture file: an array of {name, fork, pass, error}, exit 0', () => {
    const file = FIXTURE ?? goodFile
    const p = run('--json', file)
    expect(p.exitCode).toBe(0)
    const out = JSON.parse(p.stdout.toString()) as { name: string; fork: string; pass: boolean; error: string | null }[]
    expect(out.length).toBeGreaterThan(0)
    for (const r of out) {
      expect(typeof r.name).toBe('string')
      expect(typeof r.fork).toBe('string')
      expect(r.pass).toBe(true)
      expect(r.error).toBeNull()
    }
  })
  test('failures make exit code 1', () => {
    const p = run('--json', badFile)
    expect(p.exitCode).toBe(1)
    const out = JSON.parse(p.stdout.toString())
    expect(out).toEqual([expect.objectContaining({ name: 'wrongGas', fork: 'London', pass: false })])
  })
  test('a bad path is a usage error: exit 2 with a clear message', () => {
    const p = run(join(dir, 'missing.json'))
    expect(p.exitCode).toBe(2)
    expect(p.stderr.toString()).toContain('no such file or directory')
  })
  test('no path, or an unknown fork: exit 2', () => {
    expect(run().exitCode).toBe(2)
    expect(run('--fork', 'atlantis', goodFile).exitCode).toBe(2)
  })
})
