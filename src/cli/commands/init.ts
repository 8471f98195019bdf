/**
 * `mosaic init [--datadir DIR] GENESIS.json`: writes the genesis of a geth-style genesis.json
 * into a data directory and records it in `<datadir>/chain.json`, so later commands need no
 * `--chain`. Running it again with the same genesis changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { genesisHash, type ChainSpec } from '../../chainspec/index.ts'
import { bytesToHex, equalBytes } from '../../primitives/index.ts'
import { DataDirError, defaultDataDir, openChainDir, readGenesisFile, recordChain, resolveChainSpec } from '../../node/index.ts'
import { parseArgs } from '../args.ts'
import { UsageError, type Command } from '../command.ts'
import { chainDirName, processChainDeps, stringFlag, type ChainCommandDeps } from './import-export.ts'

const USAGE = `Usage: mosaic init [--datadir DIR] GENESIS.json

Initialises a data directory with the chain of a genesis file (geth's genesis.json: config,
header fields and alloc): writes the genesis state and block, records the genesis in
DIR/chain.json and prints the genesis hash. Running it again on the same chain does nothing; a
data directory of another chain is refused.

Options:
  --datadir DIR   data directory (default: $XDG_DATA_HOME/mosaic/chain-<chainId>)

Exit code: 0 done (or already initialised), 1 error, 2 usage error.`

/** The rules of a chain that its genesis hash does not cover, comparable as a string. */
const rulesOf = (spec: ChainSpec): string =>
  JSON.stringify([spec.chainId, spec.forks, spec.blobSchedule, spec.depositContractAddress && bytesToHex(spec.depositContractAddress)], (_, v) => (typeof v === 'bigint' ? v.toString() : v))

export async function runInit(args: string[], deps: ChainCommandDeps = processChainDeps): Promise<number> {
  const { flags, positional } = parseArgs(args, { values: ['datadir'] })
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'give the genesis.json file' : 'give one genesis.json file')
  const path = positional[0]!
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`)
  const spec = readGenesisFile(path)
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'))
  const hash = genesisHash(spec)
  const datadir = resolve(stringFlag(flags, 'datadir') ?? defaultDataDir(chainDirName(spec)))

  const recorded = existsSync(join(datadir, 'chain.json')) ? resolveChainSpec(undefined, datadir) : undefined
  if (recorded) {
    const theirs = genesisHash(recorded)
    if (!equalBytes(theirs, hash))
      throw new DataDirError(`${datadir} holds another chain (genesis ${bytesToHex(theirs)}); ${path} has genesis ${bytesToHex(hash)}`, 'choose another --datadir')
    if (rulesOf(recorded) !== rulesOf(spec))
      throw new DataDirError(`${datadir} holds genesis ${bytesToHex(hash)} with other chain rules (chain id, forks or blob schedule) than ${path}`, 'choose another --datadir')
  }
  const existed = existsSync(join(datadir, 'chaindata'))
  // Opening checks (or writes) the stored genesis and the layout version.
  const { db } = await openChainDir(datadir, spec)
  await db.close()
  if (recorded) {
    deps.out(`${datadir} already holds genesis ${bytesToHex(hash)} (chain id ${spec.chainId}): nothing to do\n`)
    return 0
  }
  recordChain(datadir, { genesis: json })
  deps.out(`${existed ? 'recorded the stored' : 'wrote'} genesis ${bytesToHex(hash)} (chain id ${spec.chainId}) ${existed ? 'of' : 'to'} ${datadir}\n`)
  return 0
}

export const init: Command = {
  name: 'init',
  summary: 'initialise a data directory with the genesis of a genesis.json',
  usage: USAGE,
  run: (args) => runInit(args),
}
