/**
 * anvil_dumpState / anvil_loadState in anvil's own format (src/payload/anvil-state.ts): hex of
 * the gzipped JSON, so a state moves between the two; a loaded state is one durable edit batch.
 */
import { gzipSync } from 'node:zlib'
import { parseAnvilState, StateFileError, toAnvilState } from '../../payload/index.ts'
import type { Methods } from '../context.ts'
import { hex } from '../format/hex.ts'
import { args, data, fail } from '../params.ts'
import { devOf } from './dev.ts'

export const anvilStateMethods: Methods = {
  anvil_dumpState(ctx, p) {
    args(p, 0)
    return hex(gzipSync(JSON.stringify(toAnvilState(devOf(ctx).dumpState(), ctx.chain.head()))))
  },
  anvil_loadState(ctx, p) {
    const raw = data(args(p, 1, 1)[0], 0)
    let accounts
    try {
      accounts = parseAnvilState(raw)
    } catch (e) {
      if (e instanceof StateFileError) fail(0, e.details!)
      throw e
    }
    devOf(ctx).loadState(accounts)
    return true
  },
}
