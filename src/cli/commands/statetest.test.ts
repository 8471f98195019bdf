import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixturePath } from '../../../test/fixtures.ts'
import { runStatetest, type StatetestDeps } from './statetest.ts'

const dir = mkdtempSync(join(tmpdir(), 'mosaic-statetest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SENDER = '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b'
const TO = '0x1000000000000000000000000000000000000000'
const COINBASE = '0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba'

/** A plain value transfer: 21000 gas at price 10, base fee 7 (tip 3 to the coinbase). */
function transferTest(hash: string) {
  return {
    transfer: {
      env: {
        currentCoinbase: COINBASE,
        currentGasLimit: '0x1000000',
        currentNumber: '0x01',
        currentTimestamp: '0x03e8',
        currentRandom: '0x' + '00'.repeat(32),
        currentBaseFee: '0x07',
        currentExcessBlobGas: '0x00',
      },
      pre: { [SENDER]: { balance: '0x3b9aca00', nonce: '0x00', code: '0x', storage: {} } },
      transaction: {
        nonce: '0x00',
        gasPrice: '0x0a',
        gasLimit: ['0x5208', '0x5207'],
        to: TO,
        value: ['0x01'],
        data: ['0x'],
        sender: SENDER,
        secretKey: '0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8',
      },
      post: {
        Cancun: [
          { hash, logs: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347', indexes: { data: 0, gas: 0, value: 0 } },
        ],
        Berlin: [{ hash, logs: '0x', indexes: { data: 0, gas: 0, value: 0 } }],
      },
    },
  }
}

function capture(): StatetestDeps & { stdout: string; stderr: string } {
  const d = { stdout: '', stderr: '', isTTY: false, out: (t: string) => void (d.stdout += t), err: (t: string) => void (d.stderr += t) }
  return d
}

test('--json reports the computed root; a wrong root fails with exit 1', async () => {
  const file = join(dir, 'wrong.json')
  writeFileSync(file, JSON.stringify(transferTest('0x' + '11'.repeat(32))))
  const d = capture()
  expect(await runStatetest(['--json', file], d)).toBe(1)
  const rows = JSON.parse(d.stdout)
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ name: 'transfer', fork: 'Cancun', index: 0, pass: false })
  expect(rows[0].stateRoot).toMatch(/^0x[0-9a-f]{64}$/)

  // the same test with the root we computed passes, and Berlin entries are skipped with a count
  const good = join(dir, 'good.json')
  writeFileSync(good, JSON.stringify(transferTest(rows[0].stateRoot)))
  const d2 = capture()
  expect(await runStatetest([good], d2)).toBe(0)
  expect(d2.stdout).toContain('1 passed, 0 failed, 1 skipped')
})

test('--run filters by name; bad flags are usage errors', async () => {
  const file = join(dir, 'wrong.json')
  const d = capture()
  expect(await runStatetest(['--run', '^nothing$', file], d)).toBe(0)
  expect(d.stdout).toContain('0 passed, 0 failed')
  expect(runStatetest(['--fork', 'Nope', file], capture())).rejects.toThrow('unknown fork')
  expect(runStatetest([], capture())).rejects.toThrow()
})

const EXAMPLE = fixturePath('ethereum-tests', 'GeneralStateTests', 'stExample')
test.skipIf(!EXAMPLE)('stExample passes', async () => {
  const d = capture()
  expect(await runStatetest([EXAMPLE!], d)).toBe(0)
  expect(d.stdout).toMatch(/\d+ passed, 0 failed/)
})
