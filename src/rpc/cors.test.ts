import { expect, test } from 'bun:test'
import { corsHeaderLines, corsPolicy } from './cors.ts'

test('no domains: no policy (geth default); * answers * whatever the origin (anvil)', () => {
  expect(corsPolicy([])).toBeUndefined()
  const any = corsPolicy(['*'])!
  expect(any.allowOrigin(undefined)).toBe('*')
  expect(any.allowOrigin('http://x.example')).toBe('*')
  expect(corsHeaderLines(any, undefined)).toBe('Access-Control-Allow-Origin: *\r\nVary: Origin\r\n')
})

test('a list echoes an allowed origin (case-insensitive, * inside matches a run), and nothing for others', () => {
  const p = corsPolicy(['http://app.example', 'https://*.dapp.example'])!
  expect(p.allowOrigin('http://app.example')).toBe('http://app.example')
  expect(p.allowOrigin('HTTP://APP.example')).toBe('HTTP://APP.example')
  expect(p.allowOrigin('https://a.b.dapp.example')).toBe('https://a.b.dapp.example')
  expect(p.allowOrigin('https://dappXexample')).toBeUndefined()
  expect(p.allowOrigin('http://evil.example')).toBeUndefined()
  expect(p.allowOrigin(undefined)).toBeUndefined()
  expect(corsHeaderLines(p, 'http://evil.example')).toBe('Vary: Origin\r\n')
})
