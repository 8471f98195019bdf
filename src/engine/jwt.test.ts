import { describe, expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { authorize, bearerToken, signJwt, verifyJwt } from './jwt.ts'

const secret = new Uint8Array(32).fill(7)
const now = 1_700_000_000
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

/** A token with any header and claims, signed with HS256 over whatever they say. */
function forge(header: unknown, claims: unknown, key: Uint8Array = secret): string {
  const input = `${b64(header)}.${b64(claims)}`
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`
}

describe('engine JWT (authentication.md)', () => {
  test('an HS256 token with a fresh iat is accepted; unknown claims are ignored', () => {
    expect(verifyJwt(signJwt(secret, {}, now), secret, now)).toBeUndefined()
    expect(verifyJwt(signJwt(secret, { id: 'cl-1', clv: 'Lighthouse/v5', exp: now - 1000 }, now), secret, now)).toBeUndefined()
    // a fractional iat is a NumericDate too
    expect(verifyJwt(forge({ alg: 'HS256' }, { iat: now + 0.5 }), secret, now)).toBeUndefined()
  })

  test('iat must be within ±60 s of now', () => {
    expect(verifyJwt(signJwt(secret, {}, now - 60), secret, now)).toBeUndefined()
    expect(verifyJwt(signJwt(secret, {}, now + 60), secret, now)).toBeUndefined()
    expect(verifyJwt(signJwt(secret, {}, now - 61), secret, now)).toContain('stale')
    expect(verifyJwt(signJwt(secret, {}, now + 61), secret, now)).toContain('future')
  })

  test('iat is required and numeric', () => {
    expect(verifyJwt(forge({ alg: 'HS256', typ: 'JWT' }, { id: 'x' }), secret, now)).toBe('missing iat claim')
    expect(verifyJwt(forge({ alg: 'HS256' }, { iat: String(now) }), secret, now)).toContain('not a number')
  })

  test('alg none and every algorithm but HS256 are refused', () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iat: now })}.`
    expect(verifyJwt(none, secret, now)).toContain('"none"')
    expect(verifyJwt(forge({ alg: 'HS512' }, { iat: now }), secret, now)).toContain('only HS256')
    expect(verifyJwt(forge({ alg: 'hs256' }, { iat: now }), secret, now)).toContain('only HS256')
    expect(verifyJwt(forge({ typ: 'JWT' }, { iat: now }), secret, now)).toContain('only HS256')
  })

  test('a wrong secret or a changed claim breaks the signature', () => {
    expect(verifyJwt(signJwt(new Uint8Array(32).fill(8), {}, now), secret, now)).toBe('invalid signature')
    const [h, , s] = signJwt(secret, {}, now).split('.')
    expect(verifyJwt(`${h}.${b64({ iat: now + 1 })}.${s}`, secret, now)).toBe('invalid signature')
    expect(verifyJwt(`${h}.${b64({ iat: now })}.${s!.slice(0, -2)}`, secret, now)).toBe('invalid signature')
  })

  test('malformed tokens', () => {
    expect(verifyJwt('abc', secret, now)).toBe('malformed token')
    expect(verifyJwt('a.b.c.d', secret, now)).toBe('malformed token')
    expect(verifyJwt('a+b.c.d', secret, now)).toBe('malformed token')
    expect(verifyJwt(`${Buffer.from('not json').toString('base64url')}.${b64({ iat: now })}.x`, secret, now)).toBe('malformed token header')
    expect(verifyJwt(`${b64({ alg: 'HS256' })}.${b64({ iat: now })}.`, secret, now)).toBe('missing signature')
    expect(verifyJwt(forge({ alg: 'HS256' }, [now]), secret, now)).toBe('malformed token claims')
  })

  test('the token comes from "Authorization: Bearer …"', () => {
    const t = signJwt(secret, {}, now)
    expect(bearerToken(`Bearer ${t}`)).toBe(t)
    expect(bearerToken(`bearer  ${t} `)).toBe(t)
    expect(bearerToken(`Basic ${t}`)).toBeUndefined()
    expect(bearerToken(t)).toBeUndefined()
    expect(authorize(null, secret, now)).toBe('missing token')
    expect(authorize(`Basic abc`, secret, now)).toContain('Bearer')
    expect(authorize(`Bearer ${t}`, secret, now)).toBeUndefined()
  })
})
