/**
 * Raw reads of the client's key-value store, as geth's debug namespace has them: debug_dbGet
 * (the value under a key) and debug_codeByHash (contract code by its hash).
 *
 * debug_dbGet's keys are Mosaic's own (the layout of src/storage/tables.ts: `C`‖codeHash for
 * code, `h`‖number‖hash for headers, …), with one exception for the tools written against geth,
 * reth and anvil: geth's code key, `c` (0x63) followed by a 32-byte code hash, reads the code
 * (Mosaic's `c` keys, canonical hashes by number, are 9 bytes long, so the two never meet). A key
 * may be 0x hex or, as in geth, a plain string of its bytes.
 */
import { EMPTY_CODE_HASH } from '../../state/index.ts'
import { codeKey } from '../../storage/index.ts'
import { equalBytes, type Hash } from '../../primitives/index.ts'
import type { Methods, RpcContext } from '../context.ts'
import { UnsupportedError } from '../errors.ts'
import { hex } from '../format/hex.ts'
import { args, data, fail, hash, optionalBlock } from '../params.ts'

const GETH_CODE_PREFIX = 0x63
const MAX_KEY_BYTES = 1024

function dbOf(ctx: RpcContext) {
  if (!ctx.db) throw new UnsupportedError('this node does not expose its database')
  return ctx.db
}

function codeByHash(ctx: RpcContext, h: Hash): string | null {
  if (equalBytes(h, EMPTY_CODE_HASH)) return '0x'
  const code = dbOf(ctx).get(codeKey(h))
  return code ? hex(code) : null
}

export const debugDbMethods: Methods = {
  debug_codeByHash(ctx, p) {
    const a = args(p, 2, 1)
    const h = hash(a[0], 0)
    // code is stored once by hash, whatever the block: the block is checked, not needed
    optionalBlock(a[1], 1)
    return codeByHash(ctx, h)
  },
  debug_dbGet(ctx, p) {
    // anvil takes the key itself as params (no array), geth [key]: both are read
    const v = typeof p === 'string' ? p : args(p, 1, 1)[0]
    if (typeof v !== 'string') fail(0, 'expected a key, as 0x hex or a string')
    const key = v.startsWith('0x') ? data(v, 0) : new TextEncoder().encode(v)
    if (key.length === 0 || key.length > MAX_KEY_BYTES) fail(0, `a key has 1 to ${MAX_KEY_BYTES} bytes`)
    if (key.length === 33 && key[0] === GETH_CODE_PREFIX) return codeByHash(ctx, key.subarray(1))
    const value = dbOf(ctx).get(key)
    return value ? hex(value) : null
  },
}
