#!/usr/bin/env bun
/**
 * Entry of `dist/mosaic-execution`: the execution profile alone (a dev node), with nothing
 * else imported — no p2p, no other profiles, no test tools — so the executable carries only
 * what this profile needs.
 */
import { exitWhenDrained, guardOutput } from './exit.ts'
import { executionProfile } from '../profiles/execution.ts'
import { profileMain } from './node.ts'

export const main = profileMain({ execution: executionProfile })

if (import.meta.main) {
  guardOutput()
  exitWhenDrained(await main(process.argv.slice(2)))
}
