#!/usr/bin/env bun
/**
 * Entry of `dist/mosaic-txpool`: the txpool profile alone (p2p, a stateless pool, RPC) — no EVM
 * execution profile, no test tools.
 */
import { exitWhenDrained } from './exit.ts'
import { txpoolProfile } from '../profiles/txpool.ts'
import { runNode } from './node.ts'
import { versionText } from './version.ts'

const registry = { txpool: txpoolProfile }

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    console.log(await versionText())
    return 0
  }
  return runNode(registry, argv, 'txpool')
}

if (import.meta.main) exitWhenDrained(await main(process.argv.slice(2)))
