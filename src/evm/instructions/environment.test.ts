import { describe, expect, test } from 'bun:test'
import { bytesToHex, hexToBytes } from '../../primitives/index.ts'
import { CONTRACT, runCode, SENDER } from '../testing/run-code.ts'
import { MemoryHost } from '../testing/memory-host.ts'

const B = '3000000000000000000000000000000000000003'
const word = (r: { output: Uint8Array }) => BigInt(bytesToHex(r.output))
/** Runs `code` that leaves one value on the stack and returns it. */
const top = (code: string, host?: MemoryHost, opts: { input?: Uint8Array; value?: bigint } = {}) => {
  const r = runCode(`${code}60005260206000f3`.replace(/ /g, ''), { host, ...opts })
  expect(r.status).toBe('success')
  return word(r)
}

describe('account access (EIP-2929)', () => {
  test('BALANCE: cold 2600 then warm 100', () => {
    expect(runCode(`73${B} 31 50 73${B} 31 50`.replace(/ /g, '')).gasUsed).toBe(3 + 2600 + 2 + 3 + 100 + 2)
  })
  test('EXTCODESIZE/EXTCODEHASH of missing, empty-code and code accounts', () => {
    expect(top(`73${B} 3f`, new MemoryHost())).toBe(0n)
    const funded = new MemoryHost()
    funded.setAccount(hexToBytes(`0x${B}`), { balance: 1n })
    expect(top(`73${B} 3f`, funded)).toBe(0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470n)
    const withCode = new MemoryHost()
    withCode.setAccount(hexToBytes(`0x${B}`), { code: hexToBytes('0x6000') })
    expect(top(`73${B} 3b`, withCode)).toBe(2n)
  })
  test('EXTCODECOPY pads with zeros and charges copy + access', () => {
    const host = new MemoryHost()
    host.setAccount(hexToBytes(`0x${B}`), { code: hexToBytes('0xaabb') })
    const r = runCode(`6020 6000 6000 73${B} 3c 60206000f3`.replace(/ /g, ''), { host })
    expect(bytesToHex(r.output).slice(0, 10)).toBe('0xaabb0000')
    expect(r.gasUsed).toBe(9 + 3 + 2600 + 3 + 3 + 6)
  })
  test('SELFBALANCE, CALLVALUE, CALLER, ORIGIN, ADDRESS', () => {
    const host = new MemoryHost({ tx: { origin: SENDER } })
    host.setAccount(CONTRACT, { balance: 5n })
    expect(top('47', host, { value: 2n })).toBe(7n)
    expect(top('34', undefined, { value: 9n })).toBe(9n)
    expect(top('33')).toBe(BigInt(bytesToHex(SENDER)))
    expect(top('30')).toBe(BigInt(bytesToHex(CONTRACT)))
    expect(top('32', new MemoryHost({ tx: { origin: SENDER } }))).toBe(BigInt(bytesToHex(SENDER)))
  })
})

describe('calldata and code', () => {
  test('CALLDATALOAD zero-pads past the end', () => {
    expect(top('6000 35', undefined, { input: hexToBytes('0x01') })).toBe(1n << 248n)
    expect(top('6001 35', undefined, { input: hexToBytes('0x0102') })).toBe(2n << 248n)
    expect(top('7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff 35', undefined, { input: hexToBytes('0x01') })).toBe(0n)
    expect(top('36', undefined, { input: hexToBytes('0x0102') })).toBe(2n)
  })
  test('CALLDATACOPY with an offset past the end writes zeros', () => {
    const r = runCode('6020 6005 6000 37 60206000f3'.replace(/ /g, ''), { input: hexToBytes('0x0102030405060708') })
    expect(bytesToHex(r.output).slice(0, 10)).toBe('0x06070800')
  })
  test('CODESIZE and CODECOPY', () => {
    expect(top('38')).toBe(9n)
    const r = runCode('6004 6000 6000 39 60206000f3'.replace(/ /g, ''))
    expect(bytesToHex(r.output).slice(0, 10)).toBe('0x60046000')
  })
})

describe('block and transaction context', () => {
  const host = () =>
    new MemoryHost({
      block: { number: 300n, timestamp: 1234n, chainId: 17000n, baseFee: 9n, blobBaseFee: 3n, gasLimit: 36_000_000n, prevRandao: 0xabn, coinbase: hexToBytes(`0x${B}`) },
      tx: { gasPrice: 11n, blobHashes: [hexToBytes(`0x01${'22'.repeat(31)}`)] },
      blockHashes: new Map([
        [299n, hexToBytes(`0x${'aa'.repeat(32)}`)],
        [44n, hexToBytes(`0x${'bb'.repeat(32)}`)],
        [43n, hexToBytes(`0x${'cc'.repeat(32)}`)],
      ]),
    })
  test('BLOCKHASH sees only the previous 256 blocks', () => {
    expect(top('61012b 40', host())).toBe(BigInt(`0x${'aa'.repeat(32)}`))
    expect(top('602c 40', host())).toBe(BigInt(`0x${'bb'.repeat(32)}`))
    expect(top('602b 40', host())).toBe(0n)
    expect(top('61012c 40', host())).toBe(0n)
  })
  test('context opcodes', () => {
    expect(top('42', host())).toBe(1234n)
    expect(top('43', host())).toBe(300n)
    expect(top('46', host())).toBe(17000n)
    expect(top('48', host())).toBe(9n)
    expect(top('4a', host())).toBe(3n)
    expect(top('45', host())).toBe(36_000_000n)
    expect(top('44', host())).toBe(0xabn)
    expect(top('3a', host())).toBe(11n)
    expect(top('41', host())).toBe(BigInt(`0x${B}`))
  })
  test('BLOBHASH (EIP-4844)', () => {
    expect(top('6000 49', host())).toBe(BigInt(`0x01${'22'.repeat(31)}`))
    expect(top('6001 49', host())).toBe(0n)
    expect(runCode('600049', { fork: 'shanghai' }).status).toBe('invalidOpcode')
  })
})
