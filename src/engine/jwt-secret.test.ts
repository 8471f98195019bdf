import { afterAll, describe, expect, test } from 'bun:test'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JwtSecretError, loadJwtSecret, parseJwtSecret } from './jwt-secret.ts'

const root = mkdtempSync(join(tmpdir(), 'mosaic-jwt-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const dir = () => join(root, String(++n))
const KEY = 'ab'.repeat(32)

/** The error `fn` throws, checked to be a one-line JwtSecretError naming the flag. */
function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(JwtSecretError)
    const msg = (err as Error).message
    expect(msg).toContain('--authrpc.jwtsecret')
    expect(msg).not.toContain('\n')
    return msg
  }
  throw new Error('expected a JwtSecretError')
}

describe('engine JWT secret file', () => {
  test('32 bytes of hex, 0x optional, white space around allowed', () => {
    expect(parseJwtSecret(KEY)?.length).toBe(32)
    expect(parseJwtSecret(`  0x${KEY}\n`)).toEqual(new Uint8Array(32).fill(0xab))
    expect(parseJwtSecret(KEY.toUpperCase())).toBeDefined()
    expect(parseJwtSecret(KEY.slice(2))).toBeUndefined()
    expect(parseJwtSecret(`${KEY}00`)).toBeUndefined()
    expect(parseJwtSecret(`0x${KEY.slice(1)}g`)).toBeUndefined()
    expect(parseJwtSecret(`${KEY.slice(0, 32)} ${KEY.slice(32)}`)).toBeUndefined()
  })

  test('without the flag, <datadir>/jwt.hex is generated (mode 0600), then read back', () => {
    const d = dir()
    const first = loadJwtSecret({ datadir: d })
    expect(first.generated).toBe(true)
    expect(first.path).toBe(join(d, 'jwt.hex'))
    expect(statSync(first.path).mode & 0o777).toBe(0o600)
    expect(readFileSync(first.path, 'utf8')).toMatch(/^0x[0-9a-f]{64}$/)
    const again = loadJwtSecret({ datadir: d })
    expect(again.generated).toBe(false)
    expect(again.secret).toEqual(first.secret)
    expect(loadJwtSecret({ datadir: dir() }).secret).not.toEqual(first.secret)
  })

  test('a file given with the flag is read as it is', () => {
    const f = join(root, 'given.hex')
    writeFileSync(f, `\n0x${KEY}  \n`)
    const s = loadJwtSecret({ file: f, datadir: dir() })
    expect(s).toEqual({ secret: new Uint8Array(32).fill(0xab), path: f, generated: false })
  })

  test('a missing, unreadable or malformed file is one line naming the flag', () => {
    expect(refusal(() => loadJwtSecret({ file: join(root, 'absent.hex') }))).toContain('cannot read')
    const bad = join(root, 'bad.hex')
    writeFileSync(bad, 'not a key')
    expect(refusal(() => loadJwtSecret({ file: bad }))).toContain('not 32 bytes of hex')
    if (process.getuid?.() !== 0) {
      const locked = join(root, 'locked.hex')
      writeFileSync(locked, KEY)
      chmodSync(locked, 0o000)
      expect(refusal(() => loadJwtSecret({ file: locked }))).toContain('cannot read')
    }
    const d = dir()
    loadJwtSecret({ datadir: d })
    writeFileSync(join(d, 'jwt.hex'), '0x1234')
    expect(refusal(() => loadJwtSecret({ datadir: d }))).toContain('jwt.hex')
    refusal(() => loadJwtSecret({}))
  })
})
