#!/usr/bin/env bun
/**
 * Entry of `dist/mosaic-node`: the node profile alone (the proof-of-stake full node: p2p,
 * txpool, chain, Engine API, RPC) — no other profiles, no test tools.
 */
import { exitWhenDrained, guardOutput } from './exit.ts'
import { nodeProfile } from '../profiles/node.ts'
import { profileMain } from './node.ts'

export const main = profileMain({ node: nodeProfile }, 'node')

if (import.meta.main) {
  guardOutput()
  exitWhenDrained(await main(process.argv.slice(2)))
}
