import { describe, expect, test } from 'bun:test'
import { VERSION } from '../../node/version.ts'
import { RpcError } from '../../rpc/index.ts'
import { capabilitiesOf, CLIENT_CODE, detectCommit, exchangeCapabilities, getClientVersionV1, withCapabilities } from './index.ts'

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as RpcError).rpcCode
  }
  return 'ok'
}

describe('stateless Engine API methods', () => {
  test('engine_exchangeCapabilities answers with the served engine_ methods, never itself', () => {
    const table = withCapabilities({ engine_newPayloadV4: () => null, engine_getClientVersionV1: () => [], eth_chainId: () => '0x1' })
    const answer = table.engine_exchangeCapabilities!([['engine_newPayloadV1', 'engine_foo']])
    expect(answer).toEqual(['engine_newPayloadV4', 'engine_getClientVersionV1'])
    expect(capabilitiesOf(table)).not.toContain('engine_exchangeCapabilities')
    // any list of names is fine, a malformed one is -32602
    expect(exchangeCapabilities(() => [])([[]])).toEqual([])
    expect(code(() => table.engine_exchangeCapabilities!([]))).toBe(-32602)
    expect(code(() => table.engine_exchangeCapabilities!(['engine_newPayloadV1']))).toBe(-32602)
    expect(code(() => table.engine_exchangeCapabilities!([[1]]))).toBe(-32602)
  })

  test('engine_getClientVersionV1: one ClientVersionV1 with code MS, the node version and 4 commit bytes', () => {
    const h = getClientVersionV1({ version: VERSION, commit: '0xfa4ff922' })
    const theirs = { code: 'ZZ', name: 'Some CL', version: 'v1.0.0', commit: '0x01020304' }
    expect(h([theirs])).toEqual([{ code: CLIENT_CODE, name: 'Mosaic', version: VERSION, commit: '0xfa4ff922' }])
    expect(code(() => h([]))).toBe(-32602)
    expect(code(() => h([{ ...theirs, code: 7 }]))).toBe(-32602)
    expect(CLIENT_CODE).toMatch(/^[A-Z]{2}$/)
  })

  test('the commit: MOSAIC_COMMIT, else git HEAD, else zeros', () => {
    expect(detectCommit({ MOSAIC_COMMIT: '0xABCDEF0123456789' })).toBe('0xabcdef01')
    expect(detectCommit({})).toMatch(/^0x[0-9a-f]{8}$/)
    expect(detectCommit({}, '/')).toBe('0x00000000')
    let asked = 0
    const h = getClientVersionV1({ version: '1.2.3', commit: () => (asked++, '0x0badc0de') })
    const theirs = [{ code: 'LH', name: 'Lighthouse', version: 'v5', commit: '0x00000000' }]
    h(theirs)
    expect((h(theirs) as { commit: string }[])[0]!.commit).toBe('0x0badc0de')
    expect(asked).toBe(1)
  })
})
