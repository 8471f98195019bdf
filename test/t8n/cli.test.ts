/**
 * `mosaic t8n` as a command: input and output files under --output.basedir, the `.rlp` body
 * round trip and chaining through the output alloc, geth's exit codes for bad input, fork names,
 * and the stdin/stdout mode through a spawned `bin/mosaic t8n` process.
 */
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { UsageError } from '../../src/cli/command.ts'
import { runT8n } from '../../src/cli/commands/t8n.ts'
import { CANCUN_ENV, t8n, type T8nInput } from './run.ts'

const A = DEV_ACCOUNTS[0].toLowerCase()
const B = DEV_ACCOUNTS[1].toLowerCase()
const alloc = { [A]: { balance: '0xde0b6b3a7640000' } }
const env = CANCUN_ENV
const txs = [{ type: '0x2', chainId: '0x1', nonce: '0x0', gas: '0x5208', maxFeePerGas: '0x64', maxPriorityFeePerGas: '0x2', to: B, value: '0x1', input: '0x', secretKey: DEV_PRIVATE_KEYS[0] }]
const input: T8nInput = { alloc, env, txs }

/** Runs in process with files; returns the exit code and stderr. */
async function runFiles(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await runT8n(args, { out: (t) => (out += t), err: (t) => (err += t), readStdin: async () => '' })
  return { code, out, err }
}

function files(dir: string, parts: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(parts)) writeFileSync(join(dir, name), typeof v === 'string' ? v : JSON.stringify(v))
}

describe('t8n files', () => {
  test('outputs under --output.basedir; the .rlp body runs again; the output alloc chains', async () => {
    const dir = mkdtempSync(join(tmpdir(), 't8n-'))
    files(dir, { 'alloc.json': alloc, 'env.json': env, 'txs.json': txs })
    const inputs = [`--input.alloc=${dir}/alloc.json`, `--input.env=${dir}/env.json`, '--state.fork=Cancun']
    const out = join(dir, 'out')
    const first = await runFiles([...inputs, `--input.txs=${dir}/txs.json`, `--output.basedir=${out}`, '--output.body=txs.rlp'])
    expect(first).toEqual({ code: 0, out: '', err: '' })
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))
    const post = JSON.parse(readFileSync(join(out, 'alloc.json'), 'utf8'))
    const body = JSON.parse(readFileSync(join(out, 'txs.rlp'), 'utf8'))
    expect(result.receipts).toHaveLength(1)
    expect(post[B]).toEqual({ balance: '0x1' })
    expect(body).toMatch(/^0x[0-9a-f]+$/)

    const again = await runFiles([...inputs, `--input.txs=${out}/txs.rlp`, '--output.result=stdout', '--output.alloc='])
    expect(again.code).toBe(0)
    expect(JSON.parse(again.out).result).toEqual(result)

    const chained = await runFiles([`--input.alloc=${out}/alloc.json`, `--input.env=${dir}/env.json`, `--input.txs=${out}/txs.rlp`, '--state.fork=Cancun', '--output.result=stdout', '--output.alloc='])
    expect(JSON.parse(chained.out).result.rejected[0].error).toStartWith('nonce too low')
  })

  test('geth exit codes: 11 missing file, 10 bad JSON, 12 bad RLP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 't8n-'))
    files(dir, { 'alloc.json': alloc, 'env.json': env, 'bad.json': '{"currentCoinbase": ', 'bad.rlp': '"0xf8"' })
    const base = [`--input.alloc=${dir}/alloc.json`, '--state.fork=Cancun', '--output.result=', '--output.alloc=']
    const missing = await runFiles([...base, `--input.env=${dir}/nope.json`, `--input.txs=${dir}/bad.rlp`])
    expect([missing.code, missing.err]).toEqual([11, `ERROR(11): failed reading env file: ${dir}/nope.json: no such file\n`])
    const badJson = await runFiles([...base, `--input.env=${dir}/bad.json`, `--input.txs=${dir}/bad.rlp`])
    expect(badJson.code).toBe(10)
    expect(badJson.err).toStartWith('ERROR(10): failed unmarshalling env file')
    const badRlp = await runFiles([...base, `--input.env=${dir}/env.json`, `--input.txs=${dir}/bad.rlp`])
    expect(badRlp.code).toBe(12)
  })
})

describe('t8n input checks', () => {
  const cases: [string, Partial<T8nInput> & { fork?: string }, number, string][] = [
    ['unknown fork', { fork: 'Bogus' }, 3, 'unknown fork "Bogus"'],
    ['a fork before Paris', { fork: 'London' }, 3, 'is before Paris'],
    ['extra EIPs', { fork: 'Cancun+3855' }, 3, 'extra EIPs'],
    ['no base fee', { env: { ...env, currentBaseFee: undefined } }, 3, "missing 'currentBaseFee'"],
    ['no random', { env: { ...env, currentRandom: undefined } }, 3, 'post-merge requires currentRandom'],
    ['a difficulty after the merge', { env: { ...env, currentDifficulty: '0x1' } }, 3, 'post-merge difficulty must be zero'],
    ['no withdrawals', { env: { ...env, withdrawals: undefined } }, 3, "missing 'withdrawals'"],
    ['no beacon root', { env: { ...env, parentBeaconBlockRoot: undefined } }, 3, 'requires parentBeaconBlockRoot'],
    ['no coinbase', { env: { ...env, currentCoinbase: undefined } }, 10, "missing required field 'currentCoinbase'"],
    ['a bad quantity', { env: { ...env, currentNumber: '0xzz' } }, 10, 'env.currentNumber: expected a quantity'],
    ['a short address', { alloc: { '0x1234': { balance: '0x1' } } }, 10, 'a 20-byte address'],
    ['a tx without gas', { txs: [{ ...txs[0], gas: undefined }] }, 10, "missing required field 'gasLimit'"],
    ['a tx of an unknown type', { txs: [{ ...txs[0], type: '0x7' }] }, 10, 'transaction type 7 not supported'],
    ['an unsigned tx without a key', { txs: [{ ...txs[0], secretKey: undefined }] }, 10, "missing required field 'r'"],
  ]
  for (const [what, change, code, message] of cases) {
    test(`${what}: exit ${code}`, async () => {
      const r = await t8n({ ...input, ...change }, change.fork ?? 'Cancun')
      expect(r.code).toBe(code)
      expect(r.err).toContain(message)
      expect(r.out).toBeUndefined()
    })
  }

  test('fork names as geth and execution-spec-tests spell them, transitions at 15k', async () => {
    for (const fork of ['Merge', 'Paris', 'Shanghai', 'Cancun', 'Prague', 'Osaka'])
      expect((await t8n(input, fork, fork === 'Prague' || fork === 'Osaka' ? ['--output.alloc='] : [])).code).toBe(fork === 'Prague' || fork === 'Osaka' ? 2 : 0)
    // before 15k the first fork's rules: a blob transaction is not supported by Shanghai
    const blob = { ...txs[0], type: '0x3', maxFeePerBlobGas: '0x1', blobVersionedHashes: [`0x01${'00'.repeat(31)}`] }
    const early = await t8n({ ...input, txs: [blob] }, 'ShanghaiToCancunAtTime15k')
    expect(early.out!.result.rejected).toEqual([{ index: 0, error: 'transaction type not supported' }])
    const late = await t8n({ ...input, env: { ...env, currentTimestamp: '15000' }, txs: [blob] }, 'ShanghaiToCancunAtTime15k')
    expect(late.out!.result.rejected).toBeUndefined()
    expect((await t8n(input, 'CancunToOsakaAtTime15k')).code).toBe(3)
  })

  test('flag errors are usage errors', async () => {
    await expect(runFiles(['--state.fork=Cancun', '--bogus=1'])).rejects.toThrow(UsageError)
    await expect(runFiles(['--state.fork=Cancun', '--state.reward=x'])).rejects.toThrow(UsageError)
    await expect(runFiles(['--state.fork=Cancun', '--state.chainid=-1'])).rejects.toThrow(UsageError)
    expect((await runFiles(['--output.result=stdout'])).code).toBe(3) // no --state.fork
  })

  test('--state.reward pays the coinbase; -1 pays nothing and touches nothing', async () => {
    const cb = env.currentCoinbase
    const paid = await t8n({ ...input, txs: [] }, 'Cancun', ['--state.reward=5'])
    expect(paid.out!.alloc[cb]).toEqual({ balance: '0x5' })
    // an empty coinbase is touched by a zero reward and removed (EIP-161), left alone with -1
    const withEmpty = { ...input, alloc: { ...alloc, [cb]: { balance: '0x0' } }, txs: [] }
    expect((await t8n(withEmpty, 'Cancun', ['--state.reward=0'])).out!.alloc[cb]).toBeUndefined()
    expect((await t8n(withEmpty, 'Cancun', ['--state.reward=-1'])).out!.alloc[cb]).toEqual({ balance: '0x0' })
  })
})

describe('t8n through bin/mosaic', () => {
  test('stdin in, stdout out, the same as in process', async () => {
    const bin = join(import.meta.dir, '../../bin/mosaic')
    const flags = ['--input.alloc=stdin', '--input.env=stdin', '--input.txs=stdin', '--output.result=stdout', '--output.alloc=stdout', '--output.body=stdout', '--state.fork=Cancun']
    const p = Bun.spawn([bin, 't8n', ...flags], { stdin: new TextEncoder().encode(JSON.stringify(input)), stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    expect(err).toBe('')
    expect(code).toBe(0)
    const got = JSON.parse(out)
    expect(Object.keys(got)).toEqual(['alloc', 'result', 'body'])
    expect(got).toEqual((await t8n(input, 'Cancun')).out)

    const bad = Bun.spawn([bin, 't8n', ...flags.slice(0, -1), '--state.fork=Frontier'], { stdin: new TextEncoder().encode('{}'), stdout: 'pipe', stderr: 'pipe' })
    expect(await bad.exited).toBe(3)
    expect(await new Response(bad.stderr).text()).toContain('ERROR(3): fork "Frontier" is before Paris')
  }, 30_000)
})
