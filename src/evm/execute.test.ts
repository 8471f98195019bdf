import { describe, expect, test } from 'bun:test'
import { bytesToHex, hexToBytes } from '../primitives/index.ts'
import { create2Address, createAddress } from './address.ts'
import { executeMessage } from './execute.ts'
import { CONTRACT, runCode, SENDER } from './testing/run-code.ts'
import { MemoryHost } from './testing/memory-host.ts'

const B = hexToBytes('0x3000000000000000000000000000000000000003')
const Bhex = '3000000000000000000000000000000000000003'
const code = (hex: string) => hexToBytes(`0x${hex.replace(/\s+/g, '')}`)

describe('calls', () => {
  test('CALL with value gets the 2300 stipend and refunds its unused part', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('5a 600052 6020 6000 f3') })
    host.setAccount(CONTRACT, { balance: 10n, code: code(`6020 6000 6000 6000 6001 73${Bhex} 6000 f1 50 6020 6000 f3`) })
    const r = runCode('', { host })
    expect(r.status).toBe('success')
    expect(r.output[31]! + r.output[30]! * 256).toBe(2298)
    expect(r.gasUsed).toBe(21 + 3 + 2600 + 9000 - 2283 + 2 + 6)
    expect(host.getBalance(B)).toBe(1n)
    expect(host.getBalance(CONTRACT)).toBe(9n)
  })
  test('CALL to a new account with value pays 25000', () => {
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { balance: 10n, code: code(`6000 6000 6000 6000 6001 73${Bhex} 6000 f1`) })
    const r = runCode('', { host })
    expect(r.gasUsed).toBe(21 + 2600 + 9000 + 25000 - 2300)
  })
  test('CALL with more value than the balance fails softly', () => {
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { balance: 0n, code: code(`6000 6000 6000 6000 6001 73${Bhex} 6000 f1 600052 60206000f3`) })
    const r = runCode('', { host })
    expect(r.status).toBe('success')
    expect(r.output[31]).toBe(0)
  })
  test('REVERT returns data and gas, undoing the callee state', () => {
    const host = new MemoryHost()
    // B: SSTORE(0,1); mstore(0, 0xdeadbeef); revert(28, 4)
    host.setAccount(B, { code: code('6001600055 63deadbeef 600052 6004 601c fd') })
    // A: call B, copy the return data and return it, followed by the success flag in slot 1
    host.setAccount(CONTRACT, { code: code(`6000 6000 6000 6000 6000 73${Bhex} 5a f1 600155 3d 6000 6000 3e 3d 6000 f3`) })
    const r = runCode('', { host })
    expect(r.status).toBe('success')
    expect(bytesToHex(r.output)).toBe('0xdeadbeef')
    expect(host.getStorage(B, 0n)).toBe(0n)
    expect(host.getStorage(CONTRACT, 1n)).toBe(0n)
    expect(host.exists(B)).toBe(true)
  })
  test('top-level REVERT keeps the remaining gas', () => {
    const r = runCode('63deadbeef6000526004601cfd', { gas: 100_000 })
    expect(r.status).toBe('revert')
    expect(bytesToHex(r.output)).toBe('0xdeadbeef')
    expect(r.gasUsed).toBe(3 + 3 + 6 + 3 + 3)
  })
  test('RETURNDATACOPY out of bounds halts', () => {
    expect(runCode('6001 6000 6000 3e'.replace(/ /g, '')).status).toBe('returnDataOutOfBounds')
  })
  test('STATICCALL forbids SSTORE in the callee', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('6001600055') })
    host.setAccount(CONTRACT, { code: code(`6000 6000 6000 6000 73${Bhex} 5a fa 600052 60206000f3`) })
    const r = runCode('', { host })
    expect(r.output[31]).toBe(0)
    expect(host.getStorage(B, 0n)).toBe(0n)
  })
  test('DELEGATECALL runs code in the caller context', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('602a600055 33 600155') }) // sstore(0, 42); sstore(1, CALLER)
    host.setAccount(CONTRACT, { code: code(`6000 6000 6000 6000 73${Bhex} 5a f4`) })
    runCode('', { host })
    expect(host.getStorage(CONTRACT, 0n)).toBe(42n)
    expect(host.getStorage(CONTRACT, 1n)).toBe(BigInt(bytesToHex(SENDER)))
    expect(host.getStorage(B, 0n)).toBe(0n)
  })
  test('recursion to depth 1024 without exhausting the JS stack', () => {
    // counter++ in transient storage; call self with all gas; return counter
    const self = code('60005c 600101 60005d 6000 80 80 80 80 30 5a f1 50 60005c 600052 60206000f3')
    const r = runCode(self, { gas: 1_000_000_000_000 })
    expect(r.status).toBe('success')
    expect(BigInt(bytesToHex(r.output))).toBe(1025n)
  })
  test('logs survive only in frames that did not revert', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('6000 6000 a0 6000 6000 fd') }) // LOG0 then REVERT
    host.setAccount(CONTRACT, { code: code(`60ff 6000 52 6001 6001 601f a1 6000 6000 6000 6000 73${Bhex} 5a fa 00`) })
    const r = runCode('', { host })
    expect(r.logs.length).toBe(1)
    expect(r.logs[0]!.topics).toEqual([0x01n])
    expect(bytesToHex(r.logs[0]!.data)).toBe('0xff')
  })
})

describe('create', () => {
  const runtime = '602a60005260206000f3'
  const initcode = `69${runtime} 600052 600a 6016 f3`.replace(/ /g, '')
  test('CREATE deploys at keccak(rlp(sender, nonce))', () => {
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { nonce: 5n, code: code(`72${initcode} 600052 6013 600d 6000 f0 600052 60206000f3`) })
    const r = runCode('', { host })
    expect(r.status).toBe('success')
    const expected = createAddress(CONTRACT, 5n)
    expect(bytesToHex(r.output.subarray(12))).toBe(bytesToHex(expected))
    expect(bytesToHex(host.getCode(expected))).toBe(`0x${runtime}`)
    expect(host.getNonce(expected)).toBe(1n)
    expect(host.getNonce(CONTRACT)).toBe(6n)
  })
  test('CREATE2 deploys at the EIP-1014 address', () => {
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { code: code(`72${initcode} 600052 6007 6013 600d 6000 f5 600052 60206000f3`) })
    const r = runCode('', { host })
    const { keccak256 } = require('../crypto/index.ts')
    const expected = create2Address(CONTRACT, 7n, keccak256(code(initcode)))
    expect(bytesToHex(r.output.subarray(12))).toBe(bytesToHex(expected))
  })
  test('EIP-1014 examples', () => {
    const { keccak256 } = require('../crypto/index.ts')
    const ex = (addr: string, salt: string, init: string) =>
      bytesToHex(create2Address(hexToBytes(addr), BigInt(salt), keccak256(hexToBytes(init)))).toLowerCase()
    expect(ex('0x0000000000000000000000000000000000000000', '0x0', '0x00')).toBe('0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38')
    expect(ex('0xdeadbeef00000000000000000000000000000000', '0x0', '0x00')).toBe('0xb928f69bb1d91cd65274e3c79d8986362984fda3')
    expect(ex('0xdeadbeef00000000000000000000000000000000', '0x000000000000000000000000feed000000000000000000000000000000000000', '0x00')).toBe('0xd04116cdd17bebe565eb2422f2497e06cc1c9833')
    expect(ex('0x0000000000000000000000000000000000000000', '0x0', '0xdeadbeef')).toBe('0x70f2b2914a2a4b783faefb75f459a580616fcb5e')
    expect(ex('0x00000000000000000000000000000000deadbeef', '0xcafebabe', '0x' + 'deadbeef'.repeat(11))).toBe('0x1d8bfdc5d46dc4f61d6b6115972536ebe6a8854c')
    expect(ex('0x0000000000000000000000000000000000000000', '0x0', '0x')).toBe('0xe33c0c7f7df4809055c3eba6c09cfe4baf1bd9e0')
  })
  test('CREATE address examples', () => {
    const s = hexToBytes('0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0')
    expect(bytesToHex(createAddress(s, 0n))).toBe('0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d')
    expect(bytesToHex(createAddress(s, 1n))).toBe('0x343c43a37d37dff08ae8c4a11544c718abb4fcf8')
  })
  test('top-level create: code deposit, EIP-3541 and EIP-170', () => {
    const run = (init: string, gas = 1_000_000) => {
      const host = new MemoryHost()
      host.setAccount(SENDER, { balance: 1n })
      const to = createAddress(SENDER, 0n)
      return { host, to, r: executeMessage(host, { kind: 'create', caller: SENDER, to, value: 0n, input: code(init), gas }, 'osaka') }
    }
    const ok = run(initcode)
    expect(ok.r.status).toBe('success')
    expect(ok.r.gasLeft).toBe(1_000_000 - (3 + 3 + 3 + 3 + 3 + 3 + 200 * 10))
    expect(bytesToHex(ok.r.createdAddress!)).toBe(bytesToHex(ok.to))
    // return one byte 0xef
    expect(run('60ef60005360016000f3').r.status).toBe('invalidContractPrefix')
    // return 24577 bytes
    expect(run('616001 6000 f3'.replace(/ /g, ''), 10_000_000).r.status).toBe('codeSizeLimit')
    // not enough gas for the deposit
    expect(run(initcode, 2010).r.status).toBe('outOfGas')
  })
  test('initcode over 49152 bytes halts out of gas (EIP-3860)', () => {
    expect(runCode('61c001 6000 6000 f0'.replace(/ /g, ''), { gas: 10_000_000 }).status).toBe('outOfGas')
    expect(runCode('61c000 6000 6000 f0'.replace(/ /g, ''), { gas: 10_000_000 }).status).toBe('success')
  })
})

describe('selfdestruct (EIP-6780)', () => {
  test('an existing contract only sends its balance', () => {
    const host = new MemoryHost()
    host.setAccount(CONTRACT, { balance: 7n, code: code(`73${Bhex} ff`) })
    const r = runCode('', { host })
    expect(r.status).toBe('success')
    expect(r.gasUsed).toBe(3 + 5000 + 2600 + 25000)
    expect(host.getBalance(B)).toBe(7n)
    host.finalizeTransaction()
    expect(host.exists(CONTRACT)).toBe(true)
  })
  test('a contract created in the same transaction is destroyed', () => {
    const host = new MemoryHost()
    host.setAccount(SENDER, { balance: 1n })
    const to = createAddress(SENDER, 0n)
    const r = executeMessage(host, { kind: 'create', caller: SENDER, to, value: 0n, input: code(`73${Bhex} ff`), gas: 100_000 }, 'cancun')
    expect(r.status).toBe('success')
    host.finalizeTransaction()
    expect(host.exists(to)).toBe(false)
  })
  test('SELFDESTRUCT in a static context halts', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('6000ff') })
    host.setAccount(CONTRACT, { code: code(`6000 6000 6000 6000 73${Bhex} 5a fa 600052 60206000f3`) })
    expect(runCode('', { host }).output[31]).toBe(0)
  })
})

describe('EIP-7702 delegation', () => {
  const D = hexToBytes('0x4000000000000000000000000000000000000004')
  test('calls run the delegate code in the delegating account', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('602a600055') })
    host.setAccount(D, { code: code(`ef0100${Bhex}`) })
    host.setAccount(CONTRACT, { code: code('6000 6000 6000 6000 6000 73 4000000000000000000000000000000000000004 5a f1') })
    const r = runCode('', { host, fork: 'prague' })
    expect(r.status).toBe('success')
    expect(host.getStorage(D, 0n)).toBe(42n)
    expect(host.getStorage(B, 0n)).toBe(0n)
  })
  test('the delegate access is charged (warm 100 / cold 2600)', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('00') })
    host.setAccount(D, { code: code(`ef0100${Bhex}`) })
    host.setAccount(CONTRACT, { code: code('6000 6000 6000 6000 6000 73 4000000000000000000000000000000000000004 6000 f1') })
    expect(runCode('', { host, fork: 'prague' }).gasUsed).toBe(21 + 2600 + 2600)
    const host2 = new MemoryHost()
    host2.setAccount(B, { code: code('00') })
    host2.setAccount(D, { code: code(`ef0100${Bhex}`) })
    host2.setAccount(CONTRACT, { code: code('6000 6000 6000 6000 6000 73 4000000000000000000000000000000000000004 6000 f1') })
    expect(runCode('', { host: host2, fork: 'cancun' }).gasUsed).toBe(21 + 2600)
  })
  test('a transaction to a delegated account runs the delegate code; delegating to a precompile runs nothing', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('602a600055') })
    host.setAccount(D, { code: code(`ef0100${Bhex}`) })
    const r = executeMessage(host, { kind: 'call', caller: SENDER, to: D, value: 0n, input: new Uint8Array(0), gas: 100_000 }, 'prague')
    expect(r.status).toBe('success')
    expect(host.getStorage(D, 0n)).toBe(42n)
    const host2 = new MemoryHost()
    host2.setAccount(D, { code: code('ef01000000000000000000000000000000000000000004') }) // → identity precompile
    const r2 = executeMessage(host2, { kind: 'call', caller: SENDER, to: D, value: 0n, input: code('aabb'), gas: 100_000 }, 'prague')
    expect(r2.status).toBe('success')
    expect(r2.output.length).toBe(0)
    expect(r2.gasLeft).toBe(100_000)
  })
  test('EXTCODESIZE/EXTCODEHASH see the 23-byte designator', () => {
    const host = new MemoryHost()
    host.setAccount(B, { code: code('602a600055') })
    host.setAccount(D, { code: code(`ef0100${Bhex}`) })
    host.setAccount(CONTRACT, { code: code('73 4000000000000000000000000000000000000004 3b 600052 60206000f3') })
    expect(runCode('', { host, fork: 'prague' }).output[31]).toBe(23)
  })
})

describe('halts', () => {
  test('stack underflow, overflow, invalid jump, invalid opcode', () => {
    expect(runCode('01').status).toBe('stackUnderflow')
    expect(runCode('5b 5f 6000 56'.replace(/ /g, '')).status).toBe('stackOverflow')
    expect(runCode('600356').status).toBe('invalidJump')
    expect(runCode('6003565b').status).toBe('success')
    expect(runCode('60045660 5b'.replace(' ', '')).status).toBe('invalidJump') // JUMPDEST inside PUSH data
    expect(runCode('fe').status).toBe('invalidOpcode')
    expect(runCode('fe', { gas: 1000 }).gasLeft).toBe(0)
  })
  test('PUSH0 exists from Shanghai', () => {
    expect(runCode('5f', { fork: 'paris' }).status).toBe('invalidOpcode')
    expect(runCode('5f', { fork: 'shanghai' }).gasUsed).toBe(2)
  })
})
