/**
 * The `dev` chain: chain id 31337 like anvil and Hardhat, every fork through Prague active at
 * genesis, the ten accounts of the standard test mnemonic funded with 10,000 ETH each, and the
 * system contracts (EIP-4788, EIP-2935, EIP-7002, EIP-7251) predeployed as on public networks.
 */
import { bytesToHex, parseAddress, ZERO_ADDRESS, ZERO_HASH } from '../../primitives/index.ts'
import { DEFAULT_BLOB_SCHEDULE } from '../genesis.ts'
import type { ChainSpec, GenesisAccount } from '../types.ts'
import { allocFromPackage, lazy } from './alloc.ts'

/** Accounts 0-9 of "test test test test test test test test test test test junk" (m/44'/60'/0'/0/i). */
export const DEV_ACCOUNTS = [
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
  '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
  '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65',
  '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
] as const

/**
 * Private keys of DEV_ACCOUNTS, in order: the well-known keys of the test mnemonic (published
 * by Hardhat and anvil; never use them on a real network). A test checks they derive the
 * addresses above.
 */
export const DEV_PRIVATE_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
] as const

export const DEV_BALANCE = 10_000n * 10n ** 18n

const SYSTEM_CONTRACTS = [
  '0x000f3df6d732807ef1319fb7b8bb8522d0beac02', // EIP-4788 beacon roots
  '0x0000f90827f1c53a10cb7a02335b175320002935', // EIP-2935 block hashes
  '0x00000961ef480eb55e80d19ad83579a64c007002', // EIP-7002 withdrawal requests
  '0x0000bbddc7ce488642fb579f8b00f3a590007251', // EIP-7251 consolidation requests
]

function devAlloc(): Map<string, GenesisAccount> {
  const alloc = new Map<string, GenesisAccount>()
  for (const a of DEV_ACCOUNTS) alloc.set(bytesToHex(parseAddress(a)), { balance: DEV_BALANCE, nonce: 0n, code: new Uint8Array(0), storage: new Map() })
  const hoodi = allocFromPackage(require('@ethereumjs/genesis/hoodi').hoodiGenesis)
  for (const addr of SYSTEM_CONTRACTS) {
    const code = hoodi.get(addr)?.code
    // an invariant of the packaged data, not input
    if (!code?.length) throw new Error(`system contract ${addr} missing from the packaged allocation`)
    alloc.set(addr, { balance: 0n, nonce: 1n, code, storage: new Map() })
  }
  return alloc
}

const atGenesis = ['frontier', 'homestead', 'tangerineWhistle', 'spuriousDragon', 'byzantium', 'constantinople', 'petersburg', 'istanbul', 'berlin', 'london', 'paris'] as const

export const dev: ChainSpec = {
  name: 'dev',
  chainId: 31_337n,
  networkId: 31_337n,
  forks: [
    ...atGenesis.map((fork) => ({ fork, block: 0n })),
    { fork: 'shanghai', timestamp: 0n },
    { fork: 'cancun', timestamp: 0n },
    { fork: 'prague', timestamp: 0n },
  ],
  blobSchedule: { ...DEFAULT_BLOB_SCHEDULE },
  terminalTotalDifficulty: 0n,
  genesis: {
    timestamp: 0n,
    gasLimit: 30_000_000n,
    difficulty: 0n,
    extraData: new Uint8Array(0),
    nonce: new Uint8Array(8),
    mixHash: ZERO_HASH,
    coinbase: ZERO_ADDRESS,
  },
  alloc: lazy(devAlloc),
  bootnodes: [],
  devKeys: DEV_PRIVATE_KEYS,
}
