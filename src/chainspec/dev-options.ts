/**
 * The dev chain under anvil's flags: a chain id, N accounts of a mnemonic with a balance, the
 * genesis gas limit, base fee and timestamp, and the newest fork active at genesis. The result
 * is still named `dev` (a dev node: the dev miner, unlocked accounts), carries the options it was
 * made from (recorded in the data directory so a restart re-derives the same genesis) and the
 * keys of its funded accounts (the node's signer).
 */
import { mnemonicKeys, privateKeyToAddress } from '../crypto/index.ts'
import { bytesToHex, hexToBytes, type Hex } from '../primitives/index.ts'
import { ChainSpecError } from './errors.ts'
import { DEV_BALANCE, DEV_PRIVATE_KEYS, dev } from './specs/dev.ts'
import type { Activation, ChainSpec, DevChainOptions, GenesisAccount } from './types.ts'

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'


const MAX_ACCOUNTS = 1_000
const TIMESTAMP_FORKS = ['shanghai', 'cancun', 'prague', 'osaka'] as const
const HARDFORKS = ['paris', 'merge', ...TIMESTAMP_FORKS]

/** Whether any option departs from the built-in dev chain. */
export function hasDevOptions(o: DevChainOptions): boolean {
  return Object.values(o).some((v) => v !== undefined)
}

/** The dev chain made from `o` (the built-in one when `o` sets nothing). */
export function devChain(o: DevChainOptions): ChainSpec & { devKeys: readonly Hex[] } {
  if (!hasDevOptions(o)) return { ...dev, devKeys: DEV_PRIVATE_KEYS }
  const count = o.accounts ?? 10
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_ACCOUNTS) throw new ChainSpecError(`--accounts ${count} is out of range: give 0 to ${MAX_ACCOUNTS}`)
  const hardfork = (o.hardfork ?? 'prague').toLowerCase()
  if (!HARDFORKS.includes(hardfork)) throw new ChainSpecError(`--hardfork ${o.hardfork} is not supported; Mosaic is a proof-of-stake client: choose one of ${HARDFORKS.join(', ')}`)
  const keys: readonly Hex[] =
    o.mnemonic === undefined || o.mnemonic.trim().split(/\s+/).join(' ') === DEV_MNEMONIC
      ? count <= DEV_PRIVATE_KEYS.length ? DEV_PRIVATE_KEYS.slice(0, count) : mnemonicKeys(DEV_MNEMONIC, count).map(bytesToHex)
      : mnemonicKeys(o.mnemonic, count).map(bytesToHex)
  const balance = o.balance === undefined ? DEV_BALANCE : o.balance * 10n ** 18n
  const upTo = hardfork === 'merge' || hardfork === 'paris' ? 0 : TIMESTAMP_FORKS.indexOf(hardfork as (typeof TIMESTAMP_FORKS)[number]) + 1
  const forks: Activation[] = [...dev.forks.filter((f) => 'block' in f), ...TIMESTAMP_FORKS.slice(0, upTo).map((fork) => ({ fork, timestamp: 0n }))]
  const alloc = (): Map<string, GenesisAccount> => {
    const base = dev.alloc()
    const out = new Map<string, GenesisAccount>()
    // the built-in alloc's system contracts stay; its funded accounts give way to these
    for (const [addr, acct] of base) if (acct.code.length) out.set(addr, acct)
    for (const k of keys) out.set(bytesToHex(privateKeyToAddress(hexToBytes(k))), { balance, nonce: 0n, code: new Uint8Array(0), storage: new Map() })
    return out
  }
  const chainId = o.chainId ?? dev.chainId
  return {
    ...dev,
    chainId,
    networkId: chainId,
    forks,
    genesis: {
      ...dev.genesis,
      gasLimit: o.gasLimit ?? dev.genesis.gasLimit,
      timestamp: o.timestamp ?? dev.genesis.timestamp,
      ...(o.baseFee === undefined ? {} : { baseFeePerGas: o.baseFee }),
    },
    alloc,
    devKeys: keys,
    devOptions: o,
  }
}
