/**
 * `--evm.jit` from the command line: the node (execution profile) answers eth_call with the
 * compiling tier forced on as with it off; `mosaic statetest --evm.jit on|off` computes the same
 * post-state root; a value other than off, on or auto is refused with a message naming the flag.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MOSAIC, rpc, startMosaic } from './processes.ts'

setDefaultTimeout(60_000)

const dir = mkdtempSync(join(tmpdir(), 'mosaic-jit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// sum 100..1 in a loop, return it: 5050
const LOOP = '0x606460005b8101906001900390816004576000526020 6000f3'.replace(/ /g, '')
const SUM = `0x${(5050).toString(16).padStart(64, '0')}`

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn([MOSAIC, ...args], { stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()])
  return { code: await p.exited, stdout, stderr }
}

describe('--evm.jit', () => {
  for (const mode of ['on', 'off']) {
    test(`the node's eth_call runs a loop with the tier ${mode}`, async () => {
      const node = await startMosaic(['--evm.jit', mode])
      try {
        const from = (await rpc(node.url, 'eth_accounts'))[0]
        // initcode run by eth_call without `to`: its return data is the result
        for (let i = 0; i < 3; i++) expect(await rpc(node.url, 'eth_call', [{ from, data: LOOP }, 'latest'])).toBe(SUM)
      } finally {
        await node.stop()
      }
    })
  }

  test('the node refuses an unknown mode', async () => {
    const r = await run(['--profile', 'execution', '--dev.memory', '--http.port', '0', '--evm.jit', 'fast'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('--evm.jit')
    expect(r.stderr).toContain('off, on, auto')
  })

  test('statetest computes the same root with the tier on and off', async () => {
    const file = join(dir, 'loop.json')
    const sender = '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b'
    const to = '0x1000000000000000000000000000000000000000'
    // the loop, then SSTORE(0, sum)
    const code = '0x606460005b81019060019003908160045760005500'
    writeFileSync(file, JSON.stringify({
      loop: {
        env: { currentCoinbase: '0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba', currentGasLimit: '0x1000000', currentNumber: '0x01', currentTimestamp: '0x03e8', currentRandom: `0x${'00'.repeat(32)}`, currentBaseFee: '0x07', currentExcessBlobGas: '0x00' },
        pre: { [sender]: { balance: '0x3b9aca00', nonce: '0x00', code: '0x', storage: {} }, [to]: { balance: '0x00', nonce: '0x01', code, storage: {} } },
        transaction: { nonce: '0x00', gasPrice: '0x0a', gasLimit: ['0x30000', '0x5300'], to, value: ['0x00'], data: ['0x'], sender, secretKey: '0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8' },
        // a wrong root: both runs fail and print the root they computed
        post: { Cancun: [0, 1].map((gas) => ({ hash: `0x${'11'.repeat(32)}`, logs: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347', indexes: { data: 0, gas, value: 0 } })) },
      },
    }))
    const on = await run(['statetest', '--json', '--evm.jit', 'on', file])
    const off = await run(['statetest', '--json', '--evm.jit', 'off', file])
    expect(on.code).toBe(1)
    const roots = (out: string) => (JSON.parse(out) as { stateRoot: string }[]).map((r) => r.stateRoot)
    expect(roots(on.stdout)).toHaveLength(2)
    expect(roots(on.stdout)).toEqual(roots(off.stdout))
    // the second entry runs out of gas inside the loop: a different root from the first
    expect(roots(on.stdout)[0]).not.toBe(roots(on.stdout)[1])
    const bad = await run(['statetest', '--evm.jit', 'fast', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--evm.jit takes off, on, auto')
  })
})
