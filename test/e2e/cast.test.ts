/**
 * Foundry's `cast` (from @foundry-rs/cast), unchanged, against Mosaic's execution profile:
 * chain-id, balance, nonce, send (signed with --private-key, and through the node with
 * --unlocked --from), send --create (the solc-compiled ERC-20), call (return values decoded by
 * cast, and a revert's reason string), receipt, block, block-number, code, storage.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeAbiParameters, getAddress, parseAbiParameters } from 'viem'
import { DEV_ACCOUNTS, DEV_PRIVATE_KEYS } from '../../src/chainspec/index.ts'
import { contracts, REVERT_REASON } from './contracts.ts'
import { CAST, CHAIN_ID, rpc, startMosaic, type Child } from './processes.ts'

setDefaultTimeout(60_000)

let node: Child
let home: string
const [alice, bob, carol, dave] = DEV_ACCOUNTS

const available = existsSync(CAST)
if (!available) console.warn(`cast not found at ${CAST}: the cast tests are skipped`)

beforeAll(async () => {
  if (!available) return
  home = mkdtempSync(join(tmpdir(), 'mosaic-cast-'))
  node = await startMosaic()
})
afterAll(async () => {
  await node?.stop()
  if (home) rmSync(home, { recursive: true, force: true })
})

/** Runs cast with --rpc-url; resolves with its output (never blocks this process's event loop). */
async function cast(args: string[], opts: { rpc?: boolean } = {}): Promise<{ code: number; out: string; err: string }> {
  // --rpc-url right after the subcommand: trailing positionals (send --create CODE ARGS...) take the rest
  const full = opts.rpc === false ? args : [args[0]!, '--rpc-url', node.url, ...args.slice(1)]
  // a private HOME: cast may write its cache and config there
  const p = Bun.spawn([CAST, ...full], { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore', env: { ...process.env, HOME: home, NO_COLOR: '1', FOUNDRY_DISABLE_NIGHTLY_WARNING: '1' } })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, out: out.trim(), err: err.trim() }
}

async function castOk(args: string[]): Promise<string> {
  const r = await cast(args)
  if (r.code !== 0) throw new Error(`cast ${args.join(' ')} exited ${r.code}: ${r.err}`)
  return r.out
}

describe.skipIf(!available)('cast against mosaic', () => {
  test('cast chain-id, block-number, balance, nonce', async () => {
    expect(await castOk(['chain-id'])).toBe(String(CHAIN_ID))
    expect(await castOk(['block-number'])).toBe('0')
    expect(await castOk(['balance', dave!])).toBe('10000000000000000000000')
    expect(await castOk(['balance', '--ether', dave!])).toBe('10000.000000000000000000')
    expect(await castOk(['nonce', dave!])).toBe('0')
  })

  test('cast send --private-key: receipt JSON, balance and nonce move', async () => {
    const before = BigInt(await castOk(['balance', bob!]))
    const out = await castOk(['send', '--json', '--private-key', DEV_PRIVATE_KEYS[0], bob!, '--value', '1ether'])
    const r = JSON.parse(out)
    expect(r.status).toBe('0x1')
    expect(r.type).toBe('0x2')
    expect(getAddress(r.from)).toBe(alice!)
    expect(getAddress(r.to)).toBe(bob!)
    expect(r.gasUsed).toBe('0x5208')
    expect(r.blockNumber).toBe('0x1')
    expect(BigInt(await castOk(['balance', bob!]))).toBe(before + 10n ** 18n)
    expect(await castOk(['nonce', alice!])).toBe('1')
  })

  test('cast send --legacy and with an explicit gas price', async () => {
    const r = JSON.parse(await castOk(['send', '--json', '--legacy', '--gas-price', '2gwei', '--private-key', DEV_PRIVATE_KEYS[0], bob!, '--value', '1']))
    expect(r.status).toBe('0x1')
    expect(r.type).toBe('0x0')
    expect(BigInt(r.effectiveGasPrice)).toBe(2n * 10n ** 9n)
  })

  test('cast send --unlocked --from: the node signs for its dev account', async () => {
    const before = BigInt(await castOk(['balance', carol!]))
    const r = JSON.parse(await castOk(['send', '--json', '--unlocked', '--from', bob!, carol!, '--value', '2ether']))
    expect(r.status).toBe('0x1')
    expect(getAddress(r.from)).toBe(bob!)
    expect(BigInt(await castOk(['balance', carol!]))).toBe(before + 2n * 10n ** 18n)
    expect(await castOk(['nonce', bob!])).toBe('1')
    // a funded account the node holds no key for is refused
    const stranger = '0x000000000000000000000000000000000000dEaD'
    await rpc(node.url, 'anvil_setBalance', [stranger, '0x' + (10n ** 18n).toString(16)])
    const refused = await cast(['send', '--unlocked', '--from', stranger, carol!, '--value', '1'])
    expect(refused.code).not.toBe(0)
    expect(refused.err.toLowerCase()).toContain('unknown account')
  })

  test('cast send --create, cast call, cast receipt, cast code and storage', async () => {
    const { Token } = contracts()
    const ctorArgs = encodeAbiParameters(parseAbiParameters('string, string, uint256'), ['Cast Token', 'CST', 1000n])
    const deployed = JSON.parse(await castOk(['send', '--json', '--private-key', DEV_PRIVATE_KEYS[3], '--create', Token.bytecode + ctorArgs.slice(2)]))
    expect(deployed.status).toBe('0x1')
    const token = getAddress(deployed.contractAddress)
    expect((await castOk(['code', token])).length).toBeGreaterThan(100)

    expect(await castOk(['call', token, 'symbol()(string)'])).toBe('"CST"')
    expect(await castOk(['call', token, 'balanceOf(address)(uint256)', dave!])).toBe('1000')
    // totalSupply sits in slot 2 (name, symbol, then totalSupply)
    expect(BigInt(await castOk(['storage', token, '2']))).toBe(1000n)

    const sent = JSON.parse(await castOk(['send', '--json', '--private-key', DEV_PRIVATE_KEYS[3], token, 'transfer(address,uint256)', alice!, '250']))
    expect(sent.status).toBe('0x1')
    expect(sent.logs).toHaveLength(1)
    expect(await castOk(['call', token, 'balanceOf(address)(uint256)', alice!])).toBe('250')

    const receipt = JSON.parse(await castOk(['receipt', '--json', sent.transactionHash]))
    expect(receipt.transactionHash).toBe(sent.transactionHash)
    expect(receipt.status).toBe('0x1')
    expect(receipt.logs[0].topics[0]).toBe('0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef')
    expect(getAddress(receipt.logs[0].address)).toBe(token)
    expect(receipt.cumulativeGasUsed).toBe(receipt.gasUsed)
    expect(await castOk(['receipt', sent.transactionHash, 'status'])).toBe('true')
    // the same receipt as the node's own JSON
    expect(receipt).toEqual(await rpc(node.url, 'eth_getTransactionReceipt', [sent.transactionHash]))
  })

  test('cast call surfaces a revert reason; cast send of a reverting call fails with it', async () => {
    const { Token } = contracts()
    const ctorArgs = encodeAbiParameters(parseAbiParameters('string, string, uint256'), ['R', 'R', 1n])
    const token = getAddress(JSON.parse(await castOk(['send', '--json', '--private-key', DEV_PRIVATE_KEYS[4], '--create', Token.bytecode + ctorArgs.slice(2)])).contractAddress)
    const call = await cast(['call', token, 'fail()'])
    expect(call.code).not.toBe(0)
    expect(call.err).toContain(REVERT_REASON)
    const send = await cast(['send', '--private-key', DEV_PRIVATE_KEYS[4], token, 'fail()'])
    expect(send.code).not.toBe(0)
    expect(send.err).toContain(REVERT_REASON)
  })

  test('cast block: latest, by number, a field', async () => {
    const head = Number(await castOk(['block-number']))
    expect(head).toBeGreaterThan(3)
    const latest = JSON.parse(await castOk(['block', 'latest', '--json']))
    expect(Number(latest.number)).toBe(head)
    expect(latest.transactions).toHaveLength(1)
    expect(latest.gasLimit).toBe('0x1c9c380')
    expect(latest.withdrawals).toEqual([])
    const first = JSON.parse(await castOk(['block', '1', '--json']))
    expect(first.number).toBe('0x1')
    expect(first.parentHash).toBe(JSON.parse(await castOk(['block', '0', '--json'])).hash)
    expect(await castOk(['block', String(head), '--field', 'hash'])).toBe(latest.hash)
    // the same block as the node's own JSON
    expect(latest).toEqual(await rpc(node.url, 'eth_getBlockByNumber', [latest.number, false]))
  })
})
