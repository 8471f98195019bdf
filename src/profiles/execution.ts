/**
 * The `execution` profile: EVM, state, storage, block production and JSON-RPC, without p2p or
 * consensus — an anvil/Hardhat-style dev node by default (chain `dev`, id 31337, the ten
 * test-mnemonic accounts funded and unlocked, a block per transaction), for rollup builders,
 * testing tools and local development.
 */
import { defaultDataDir, resolveChainSpec, type Logger, type OptionSpec, type ParsedConfig } from '../node/index.ts'
import { chainComponent, chainOptions } from './components/chain.ts'
import { devLatestComponent } from './components/latest.ts'
import { minerComponent, minerOptions } from './components/miner.ts'
import { rpcComponent, rpcOptions } from './components/rpc.ts'
import { storageComponent, storageOptions } from './components/storage.ts'
import { txpoolComponent, txpoolOptions } from './components/txpool.ts'
import type { Profile } from './profile.ts'

/** Dev chains keep every block's state reachable, so evm_revert can go back any distance. */
const DEV_STATE_HISTORY = 1_000_000

const options: OptionSpec[] = [...storageOptions, ...chainOptions, ...txpoolOptions, ...minerOptions, ...rpcOptions]

export const executionProfile: Profile = {
  name: 'execution',
  summary: 'EVM, state, storage, dev block production and JSON-RPC; no p2p (a dev node like anvil)',
  shorthand: 'execution-only',
  components: [storageComponent, chainComponent, devLatestComponent, txpoolComponent, minerComponent, rpcComponent],
  options,
  configure(parsed: ParsedConfig, log: Logger) {
    const s = parsed.sections
    const spec = resolveChainSpec(s.chain?.chain as string | undefined, s.storage?.datadir as string | undefined, 'dev')
    const memory = s.storage?.memory === true
    const datadir = (s.storage?.datadir as string | undefined) ?? defaultDataDir(spec.name)
    const dev = spec.name === 'dev'
    return {
        storage: { datadir, backend: memory ? 'memory' : 'rocksdb', cacheMb: s.storage?.cacheMb },
        chain: { spec, stateHistory: (s.chain?.stateHistory as number | undefined) ?? (dev ? DEV_STATE_HISTORY : 128), datadir: memory ? undefined : datadir, log: log.with({ component: 'chain' }) },
        txpool: { minTip: 0n, ...s.txpool },
        miner: { ...s.miner, log: log.with({ component: 'miner' }) },
        rpc: { ...s.rpc, limits: s['rpc.limits'] ?? {}, log: log.with({ component: 'rpc' }) },
    }
  },
}
