#!/usr/bin/env bun
/**
 * Entry of `dist/mosaic-txpool`: the txpool profile alone (p2p, a stateless pool, RPC) — no EVM
 * execution profile, no test tools.
 */
import { exitWhenDrained, guardOutput } from './exit.ts'
import { txpoolProfile } from '../profiles/txpool.ts'
import { profileMain } from './node.ts'

export const main = profileMain({ txpool: txpoolProfile }, 'txpool')

if (import.meta.main) {
  guardOutput()
  exitWhenDrained(await main(process.argv.slice(2)))
}
