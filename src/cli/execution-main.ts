#!/usr/bin/env bun
/**
 * Entry of `dist/mosaic-execution`: the execution profile alone (a dev node), with nothing
 * else imported — no p2p, no other profiles, no test tools — so the executable carries only
 * what this profile needs.
 */
import { exitWhenDrained } from './exit.ts'
import { executionProfile } from '../profiles/execution.ts'
import { runNode } from './node.ts'
import { versionText } from './version.ts'

const registry = { execution: executionProfile }

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    console.log(await versionText())
    return 0
  }
  return runNode(registry, argv)
}

if (import.meta.main) exitWhenDrained(await main(process.argv.slice(2)))
