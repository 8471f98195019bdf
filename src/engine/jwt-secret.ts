/**
 * The JWT secret (authentication.md, "Key distribution"): 32 bytes of hex in a file, `0x`
 * optional, surrounding white space allowed. Given with `--authrpc.jwtsecret FILE`, the file
 * must exist and hold such a key (the spec: an unreadable or malformed file is an error; geth
 * instead creates a missing one). Without the flag, `<datadir>/jwt.hex` is read, or created
 * with a fresh random key (mode 0600) when absent, for the consensus client to be given.
 *
 * Every failure is a JwtSecretError whose one-line message names the flag.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bytesToHex, MosaicError } from '../primitives/index.ts'

export const JWT_SECRET_FLAG = '--authrpc.jwtsecret'
export const JWT_SECRET_FILE = 'jwt.hex'

export class JwtSecretError extends MosaicError {
  override name = 'JwtSecretError'
  constructor(message: string, cause?: unknown) {
    super('JWT_SECRET', message, { cause })
  }
}

export interface JwtSecret {
  secret: Uint8Array
  /** The file it came from or was written to (to log, for the consensus client). */
  path: string
  /** True when this call created the file. */
  generated: boolean
}

const KEY = /^(?:0x)?([0-9a-fA-F]{64})$/

/** The key in a secret file's text, or undefined when it is not 32 bytes of hex. */
export function parseJwtSecret(text: string): Uint8Array | undefined {
  const m = KEY.exec(text.trim())
  return m ? Uint8Array.fromHex(m[1]!) : undefined
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]

function readSecret(path: string, given: boolean): Uint8Array {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new JwtSecretError(`cannot read the JWT secret ${path} (${JWT_SECRET_FLAG}): ${reason(err)}`, err)
  }
  const secret = parseJwtSecret(text)
  if (!secret)
    throw new JwtSecretError(
      given
        ? `the JWT secret ${path} (${JWT_SECRET_FLAG}) is not 32 bytes of hex`
        : `the JWT secret ${path} is not 32 bytes of hex: fix or delete it, or give another with ${JWT_SECRET_FLAG} FILE`,
    )
  return secret
}

/**
 * The secret from `file` (the flag's value) or else `<datadir>/jwt.hex`, created when absent.
 * Neither given: an error (there is nowhere to put a key the consensus client could read).
 */
export function loadJwtSecret(opts: { file?: string; datadir?: string }): JwtSecret {
  if (opts.file !== undefined) return { secret: readSecret(opts.file, true), path: opts.file, generated: false }
  if (opts.datadir === undefined) throw new JwtSecretError(`no data directory to keep a JWT secret in: give one with ${JWT_SECRET_FLAG} FILE`)
  const path = join(opts.datadir, JWT_SECRET_FILE)
  const secret = crypto.getRandomValues(new Uint8Array(32))
  try {
    mkdirSync(opts.datadir, { recursive: true })
    // 'wx': never overwrite a key another process has just written
    writeFileSync(path, bytesToHex(secret), { mode: 0o600, flag: 'wx' })
    chmodSync(path, 0o600)
    return { secret, path, generated: true }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { secret: readSecret(path, false), path, generated: false }
    throw new JwtSecretError(`cannot write the JWT secret ${path}: ${reason(err)}; give one with ${JWT_SECRET_FLAG} FILE`, err)
  }
}
