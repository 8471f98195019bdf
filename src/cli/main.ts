#!/usr/bin/env bun
/** The `mosaic` command: dispatches to a subcommand, or prints help and version. */
import { exitWhenDrained, guardOutput } from './exit.ts'
import type { Command } from './command.ts'
import { UsageError } from './command.ts'
import { VERSION, versionText } from './version.ts'

/**
 * Subcommands load on use: `--help` and `--version` work even when a command's dependencies
 * (the native addon, say) are missing, and each command pays only for what it imports.
 */
interface Entry {
  name: string
  summary: string
  load: () => Promise<Command>
}

const COMMANDS: Entry[] = [
  {
    name: 'txtest',
    summary: 'run TransactionTests files: sender, hash, intrinsic gas or expected rejection per fork',
    load: async () => (await import('./commands/txtest.ts')).txtest,
  },
  {
    name: 'statetest',
    summary: 'run state-test files (GeneralStateTests, EEST state_tests): state root and logs per post entry',
    load: async () => (await import('./commands/statetest.ts')).statetest,
  },
  {
    name: 'blocktest',
    summary: 'run BlockchainTests files: import every block, match expected exceptions, compare head and post state',
    load: async () => (await import('./commands/blocktest.ts')).blocktest,
  },
  {
    name: 'enginetest',
    summary: 'run blockchain_test_engine files (or BlockchainTests, --from-blocktests) through the in-process Engine API',
    load: async () => (await import('./commands/enginetest.ts')).enginetest,
  },
  {
    name: 'components',
    summary: 'list the components: what each provides and requires, and which profiles use it',
    load: async () => (await import('./commands/components.ts')).components,
  },
  {
    name: 't8n',
    summary: "state transition tool with geth's evm t8n interface: alloc, env, txs to result, post alloc, body",
    load: async () => (await import('./commands/t8n.ts')).t8n,
  },
  {
    name: 'init',
    summary: 'initialise a data directory with the genesis of a genesis.json',
    load: async () => (await import('./commands/init.ts')).init,
  },
  {
    name: 'import',
    summary: 'import blocks from RLP block files (geth export format, .gz too) into a data directory',
    load: async () => (await import('./commands/import.ts')).importCommand,
  },
  {
    name: 'export',
    summary: 'write canonical blocks to an RLP block file (geth export format, .gz too)',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  {
    name: 'statesync',
    summary: "stream every block's state diff into data stores, verify them against Mosaic's state and report",
    load: async () => (await import('./commands/statesync.ts')).statesyncCommand,
  },
  {
    name: 'cl-mock',
    summary: 'a stand-in consensus client: drive an Engine API (build blocks each slot, or follow another node)',
    load: async () => (await import('./commands/cl-mock.ts')).clMock,
  },
  {
    name: 'run',
    summary: 'execute EVM bytecode against an empty in-memory state',
    load: async () => (await import('./commands/run.ts')).run,
  },
]

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    `mosaic ${VERSION}: a modular Ethereum execution client`,
    '',
    'Usage: mosaic [--profile NAME] [OPTIONS]   run a node (default profile: execution, a dev node)',
    '       mosaic COMMAND [ARGS]                run a tool',
    '',
    'Profiles: --profile execution (--execution-only), txpool (--txpool-only), node (--mainnet), statesync (--statesync)',
    'Run `mosaic --profile NAME --help` for a profile\'s options.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --version  print the version and the native addon status',
    '  --help     print this help',
    '',
    'Run `mosaic COMMAND --help` for a command\'s options.',
  ].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    console.log(helpText())
    return 0
  }
  if (first === '--version' || first === 'version') {
    console.log(await versionText())
    return 0
  }
  // `mosaic [--profile NAME] --flag ...`: run a node
  if (first.startsWith('--')) {
    const [{ profiles }, { runNode }] = await Promise.all([import('../profiles/index.ts'), import('./node.ts')])
    return runNode(profiles, argv)
  }
  const entry = COMMANDS.find((c) => c.name === first)
  if (!entry) {
    console.error(`mosaic: unknown command ${JSON.stringify(first)}. Run \`mosaic --help\` for the list.`)
    return 2
  }
  let cmd: Command
  try {
    cmd = await entry.load()
  } catch (err) {
    console.error(`mosaic ${entry.name}: cannot start: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd.usage)
    return 0
  }
  try {
    return await cmd.run(rest)
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`mosaic ${cmd.name}: ${err.message}. Run \`mosaic ${cmd.name} --help\` for usage.`)
      return 2
    }
    console.error(`mosaic ${cmd.name}: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}

if (import.meta.main) {
  guardOutput()
  exitWhenDrained(await main(process.argv.slice(2)))
}
