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
  // geth's HoodiBootnodes (params/bootnodes.go): EF nodeops bootnodes, as signed node records.
  bootnodes: [
    'enr:-KG4QHqPRT-PQyT1l2-DzAJ4WiSGWDbLvzqV8umrSRmBVvzfaYAIjswgIY3S4iZFBtOGGdFeUXh5uaFXI4FdN4ib-S0BgmlkgnY0gmlwhNRj2kKDaXA2kCoAHKALAA0CAAAAAAAAAF6Jc2VjcDI1NmsxoQNwurkRdfm7zrv78VVkT0bAPtRO9JJ9gW42Abpf0y96JIN1ZHCCTrmEdWRwNoJOuQ', // nodeops-bootnode-dcl1-01
    'enr:-KG4QO3rOpovULG1tqfd5prt30FBF_0_dbh6z13W1CS94yZvObO3BDatF6v_5p0Fol4ayvf32rtLy9IoeIrllRNO6mEBgmlkgnY0gmlwhIHUpj2DaXA2kCYEqIAABAHQAAAAA2GdUACJc2VjcDI1NmsxoQKv1QQH20VixQSfOvSJdDoktzLLpq8hleYiBb5ZrmRaoIN1ZHCCdyeEdWRwNoJ3Jw', // nodeops-bootnode-sfo3-01
    'enr:-KG4QK3lmOaDQ5f-OLtwBQDwZZwORygbjDKbSWR79YFuQBQMbdStUfUKBucPPB8BW2mIZPcAHmsKan6HK9_CLv1ntfsBgmlkgnY0gmlwhJB-_BiDaXA2kCQAYYABAADQAAAAAYEgYAGJc2VjcDI1NmsxoQL3h68BwVT7D-gnmNXHLKgePyp4l5ikdqbJPaesuz9YAIN1ZHCCdyeEdWRwNoJ3Jw', // nodeops-bootnode-blr1-01
    'enr:-KG4QC1VbcxVmJVOBrQFyaTshr7kGgI8_IgGhkXMlPGQN6ijWpc72mLFR9qx6islo-bcG5gcfJDBA85Pjjk3zXdhsckBgmlkgnY0gmlwhLKc14yDaXA2kCoBBP8A9DxKAAAAAAAAAAGJc2VjcDI1NmsxoQJxxADpm6ox6R2Op72lhQ7xQ7nalLB0E9vUwchMS1_EdIN1ZHCCdyeEdWRwNoJ3Jw', // nodeops-bootnode-ash-01
    'enr:-KG4QACXfYMzVZrG5YGEM6JoAyALZrmSG_0rtTtRQK3Z7q3TUYgb1gqEbyXfA07HpqJq9i4ZaG1EmRwgZbwNFIa9M8gBgmlkgnY0gmlwhAXfXlGDaXA2kCoBBP8C8BytAAAAAAAAAAGJc2VjcDI1NmsxoQOBqr1yI_NF5xO381XMdmgLqOw6ewmPEAZVpGfkBJETWIN1ZHCCdyeEdWRwNoJ3Jw', // nodeops-bootnode-sin-01
  ],
}
