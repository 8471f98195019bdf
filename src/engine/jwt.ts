/**
 * JWT for the Engine API (authentication.md): HS256 only (`alg: none` and every other algorithm
 * refused), a required `iat` within ±60 s of now, the token taken from `Authorization: Bearer`.
 * Other claims (`id`, `clv`, and any unknown one, `exp` included) are ignored, as the spec says
 * of claims it does not list. Each refusal is a short reason for the HTTP 401 body.
 *
 * HMAC through node:crypto: synchronous, and one call per request costs about a microsecond.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** authentication.md, "JWT Claims": iat within ±60 seconds. */
export const IAT_WINDOW_SECONDS = 60

const BASE64URL = /^[A-Za-z0-9_-]+$/

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url')

function hmac(secret: Uint8Array, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest()
}

function jsonPart(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The token of an `Authorization` header value, or undefined when it is not `Bearer <token>`. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  if (!authorization) return undefined
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
  return m?.[1]
}

/**
 * Checks a compact JWS against the 32-byte secret: undefined when it is accepted, else the
 * reason. `now` is in seconds.
 */
export function verifyJwt(token: string, secret: Uint8Array, now = Date.now() / 1000): string | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[1]!)) return 'malformed token'
  const header = jsonPart(parts[0]!)
  if (!header) return 'malformed token header'
  if (header.alg !== 'HS256') return `unsupported algorithm ${JSON.stringify(header.alg ?? null)}: only HS256`
  if (parts[2] === '' || !BASE64URL.test(parts[2]!)) return 'missing signature'
  const given = Buffer.from(parts[2]!, 'base64url')
  const expected = hmac(secret, `${parts[0]}.${parts[1]}`)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid signature'
  const claims = jsonPart(parts[1]!)
  if (!claims) return 'malformed token claims'
  const iat = claims.iat
  if (iat === undefined) return 'missing iat claim'
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'iat claim is not a number'
  const skew = iat - now
  if (skew > IAT_WINDOW_SECONDS) return `iat is ${Math.round(skew)} s in the future, at most ${IAT_WINDOW_SECONDS} s allowed`
  if (-skew > IAT_WINDOW_SECONDS) return `token is stale: iat is ${Math.round(-skew)} s old, at most ${IAT_WINDOW_SECONDS} s allowed`
  return undefined
}

/** Why a request's `Authorization` header is refused, or undefined when it is accepted. */
export function authorize(authorization: string | null | undefined, secret: Uint8Array, now?: number): string | undefined {
  const token = bearerToken(authorization)
  if (token === undefined) return authorization ? 'malformed Authorization header: expected "Bearer <token>"' : 'missing token'
  return verifyJwt(token, secret, now)
}

/**
 * An HS256 token with `iat` = `now` (seconds) and any further claims: what a consensus client
 * (or `mosaic cl-mock`, or a test) sends.
 */
export function signJwt(secret: Uint8Array, claims: Record<string, unknown> = {}, now = Math.floor(Date.now() / 1000)): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const body = b64url(JSON.stringify({ iat: now, ...claims }))
  return `${head}.${body}.${hmac(secret, `${head}.${body}`).toString('base64url')}`
}
