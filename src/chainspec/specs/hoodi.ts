import { hexToBytes, parseAddress, ZERO_ADDRESS, ZERO_HASH } from '../../primitives/index.ts'
import { DEFAULT_BLOB_SCHEDULE } from '../genesis.ts'
import type { ChainSpec } from '../types.ts'
import { allocFromPackage, lazy } from './alloc.ts'

const zeroBlock = ['frontier', 'homestead', 'tangerineWhistle', 'spuriousDragon', 'byzantium', 'constantinople', 'petersburg', 'istanbul', 'muirGlacier', 'berlin', 'london', 'paris'] as const

export const hoodi: ChainSpec = {
  name: 'hoodi',
  chainId: 560_048n,
  networkId: 560_048n,
  forks: [
    ...zeroBlock.map((fork) => ({ fork, block: 0n, inForkId: fork !== 'paris' })),
    { fork: 'shanghai', timestamp: 0n },
    { fork: 'cancun', timestamp: 0n },
    { fork: 'prague', timestamp: 1_742_999_832n },
    { fork: 'osaka', timestamp: 1_761_677_592n },
    { fork: 'bpo1', timestamp: 1_762_365_720n },
    { fork: 'bpo2', timestamp: 1_762_955_544n },
  ],
  blobSchedule: {
    ...DEFAULT_BLOB_SCHEDULE,
    bpo1: { target: 10, max: 15, baseFeeUpdateFraction: 8_346_193n },
    bpo2: { target: 14, max: 21, baseFeeUpdateFraction: 11_684_671n },
  },
  terminalTotalDifficulty: 0n,
  depositContractAddress: parseAddress('0x00000000219ab540356cbb839cbe05303d7705fa'),
  genesis: {
    timestamp: 0x67d80ec0n,
    gasLimit: 0x2255100n,
    difficulty: 1n,
    extraData: new Uint8Array(0),
    nonce: hexToBytes('0x0000000000001234'),
    mixHash: ZERO_HASH,
    coinbase: ZERO_ADDRESS,
    baseFeePerGas: 1_000_000_000n,
  },
  // Required on first use only: the allocation is large and most runs never need it.
  alloc: lazy(() => allocFromPackage(require('@ethereumjs/genesis/hoodi').hoodiGenesis)),
  bootnodes: [],
}
