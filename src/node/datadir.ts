/**
 * The data directory: `<datadir>/chaindata` holds the RocksDB store and `<datadir>/chain.json`
 * records which chain it belongs to (a built-in name, or a geth genesis.json written by
 * `mosaic init`), so later runs need no `--chain`. The default root follows the XDG base
 * directories: `$XDG_DATA_HOME/mosaic/<chain>` (else `~/.local/share/mosaic/<chain>`).
 *
 * Consumers: the CLI's chain commands (init, import, export) and the node profiles.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { Blockchain, type BlockchainOptions } from '../blockchain/index.ts'
import { BUILTIN_CHAINS, devChain, getChainSpec, parseGenesisJson, proofOfStakeProblem, type ChainSpec, type DevChainOptions } from '../chainspec/index.ts'
import { MosaicError } from '../primitives/index.ts'
import { openRocksStore, type KeyValueStore } from '../storage/index.ts'

export class DataDirError extends MosaicError {
  override name = 'DataDirError'
  constructor(message: string, details?: string) {
    super('DATADIR', message, { details })
  }
}

/** The default data directory of a chain. */
export function defaultDataDir(chainName: string, env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share')
  return join(base, 'mosaic', chainName)
}

interface ChainFile {
  builtin?: string
  genesis?: unknown
  /** The dev chain's options (anvil's flags), bigints as decimal strings. */
  dev?: Record<string, string | number>
}

const DEV_BIGINTS = ['chainId', 'balance', 'gasLimit', 'baseFee', 'timestamp']

function devOptionsJson(o: DevChainOptions): Record<string, string | number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]))
}

function devOptionsFromJson(j: Record<string, string | number>, file: string): DevChainOptions {
  const o: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(j)) {
    if (DEV_BIGINTS.includes(k)) {
      if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new DataDirError(`${file}: dev.${k} must be a decimal string`, 'remove the data directory or fix the file')
      o[k] = BigInt(v)
    } else o[k] = v
  }
  return o as DevChainOptions
}

/**
 * The chain spec from `--chain` (a built-in name or a genesis.json path); else the one the data
 * directory records; else `fallback`.
 */
export function resolveChainSpec(chainFlag: string | undefined, datadir: string | undefined, fallback = 'mainnet'): ChainSpec {
  if (chainFlag) {
    if (BUILTIN_CHAINS[chainFlag.toLowerCase()] || /^[0-9]+$/.test(chainFlag)) return getChainSpec(chainFlag)
    if (!existsSync(chainFlag)) throw new DataDirError(`unknown chain ${JSON.stringify(chainFlag)}`, `choose one of ${Object.keys(BUILTIN_CHAINS).join(', ')}, or give the path of a genesis.json`)
    return readGenesisFile(chainFlag)
  }
  const recorded = datadir ? recordedChain(datadir) : undefined
  return recorded ?? getChainSpec(fallback)
}

export function readGenesisFile(path: string): ChainSpec {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    throw new DataDirError(`cannot read genesis file ${path}`, e instanceof Error ? e.message : String(e))
  }
  const spec = parseGenesisJson(json, 'custom')
  const problem = proofOfStakeProblem(spec)
  if (problem) throw new DataDirError(`${path} is not a proof-of-stake chain`, problem)
  return spec
}

function recordedChain(datadir: string): ChainSpec | undefined {
  const file = join(datadir, 'chain.json')
  if (!existsSync(file)) return undefined
  let c: ChainFile
  try {
    c = JSON.parse(readFileSync(file, 'utf8')) as ChainFile
  } catch (e) {
    throw new DataDirError(`${file} is not valid JSON`, e instanceof Error ? e.message : String(e))
  }
  if (c.builtin === 'dev' && c.dev) return devChain(devOptionsFromJson(c.dev, file))
  if (c.builtin) return getChainSpec(c.builtin)
  if (c.genesis) return parseGenesisJson(c.genesis, 'custom')
  throw new DataDirError(`${file} names no chain`, 'remove it and pass --chain')
}

/** Records a built-in chain in a data directory that has no record yet (a custom genesis is recorded by `mosaic init`). */
export function recordBuiltinChain(datadir: string, spec: ChainSpec): void {
  if (existsSync(join(datadir, 'chain.json')) || !BUILTIN_CHAINS[spec.name]) return
  recordChain(datadir, spec.devOptions ? { builtin: spec.name, dev: devOptionsJson(spec.devOptions) } : { builtin: spec.name })
}

/** Records the chain of a data directory (a built-in name, or the genesis JSON itself). */
export function recordChain(datadir: string, chain: ChainFile): void {
  mkdirSync(datadir, { recursive: true })
  writeFileSync(join(datadir, 'chain.json'), `${JSON.stringify(chain, null, 2)}\n`)
}

export interface OpenedChain {
  db: KeyValueStore
  chain: Blockchain
  datadir: string
}

/** Opens (creating when new) the chain store of a data directory. */
export async function openChainDir(datadir: string, spec: ChainSpec, opts: BlockchainOptions = {}): Promise<OpenedChain> {
  const dir = resolve(datadir)
  const db = await openRocksStore(join(dir, 'chaindata'))
  try {
    const chain = Blockchain.open(db, spec, opts)
    recordBuiltinChain(dir, spec)
    return { db, chain, datadir: dir }
  } catch (e) {
    await db.close()
    throw e
  }
}
