import { hexToBytes, parseAddress, ZERO_ADDRESS, ZERO_HASH } from '../../primitives/index.ts'
import { DEFAULT_BLOB_SCHEDULE } from '../genesis.ts'
import type { ChainSpec } from '../types.ts'
import { allocFromPackage, lazy } from './alloc.ts'

const zeroBlock = ['frontier', 'homestead', 'tangerineWhistle', 'spuriousDragon', 'byzantium', 'constantinople', 'petersburg', 'istanbul', 'muirGlacier', 'berlin', 'london'] as const

export const sepolia: ChainSpec = {
  name: 'sepolia',
  chainId: 11_155_111n,
  networkId: 11_155_111n,
  forks: [
    ...zeroBlock.map((fork) => ({ fork, block: 0n })),
    { fork: 'paris', block: 1_450_409n, inForkId: false },
    { fork: 'mergeNetsplit', block: 1_735_371n },
    { fork: 'shanghai', timestamp: 1_677_557_088n },
    { fork: 'cancun', timestamp: 1_706_655_072n },
    { fork: 'prague', timestamp: 1_741_159_776n },
    { fork: 'osaka', timestamp: 1_760_427_360n },
    { fork: 'bpo1', timestamp: 1_761_017_184n },
    { fork: 'bpo2', timestamp: 1_761_607_008n },
  ],
  blobSchedule: {
    ...DEFAULT_BLOB_SCHEDULE,
    bpo1: { target: 10, max: 15, baseFeeUpdateFraction: 8_346_193n },
    bpo2: { target: 14, max: 21, baseFeeUpdateFraction: 11_684_671n },
  },
  terminalTotalDifficulty: 17_000_000_000_000_000n,
  depositContractAddress: parseAddress('0x7f02c3e3c98b133055b8b348b2ac625669ed295d'),
  genesis: {
    timestamp: 0x6159af19n,
    gasLimit: 30_000_000n,
    difficulty: 131_072n,
    extraData: hexToBytes('0x5365706f6c69612c20417468656e732c204174746963612c2047726565636521'),
    nonce: new Uint8Array(8),
    mixHash: ZERO_HASH,
    coinbase: ZERO_ADDRESS,
  },
  // Required on first use only: the allocation is large and most runs never need it.
  alloc: lazy(() => allocFromPackage(require('@ethereumjs/genesis/sepolia').sepoliaGenesis)),
  // geth's SepoliaBootnodes (params/bootnodes.go): EF nodeops bootnodes, as signed node records.
  bootnodes: [
    'enr:-KG4QHn1Os72NN5Z44Ehf9CHPmN490GBphTFirfk33pFuWnkY9UNrQMfHkuCw6a-ykeRhGKrPL5ppMXiZQchgPrCDJQBgmlkgnY0gmlwhNRj2kKDaXA2kCoAHKALAA0CAAAAAAAAAF6Jc2VjcDI1NmsxoQJK_ye9jx9mela-ME_Kt5e017Ywv3hYH_5rwNhIUrtzNoN1ZHCCTriEdWRwNoJOuA', // nodeops-bootnode-dcl1-01
    'enr:-KG4QCpiRltiyX7LgozCkQ8XBrcDzejBXbE7YRUQFmIEgv46SC8B4CJLcOO3O2bH-_u-B242GTzO_hQPhv3rpyvAHXMBgmlkgnY0gmlwhIHUpj2DaXA2kCYEqIAABAHQAAAAA2GdUACJc2VjcDI1NmsxoQNmVWXve5c0uvsn_agjTKQ8pR6gl9DynZyTQNruBDfJ4YN1ZHCCdsOEdWRwNoJ2ww', // nodeops-bootnode-sfo3-01
    'enr:-KG4QJUWvc8qvCUr7x-qCFWee6HPLgmRUfVn-M_yqXD-sjSoAalKCV3NgUhmlqozjTJIj_nPr7J_uT8WJwbWiIx3Cv4BgmlkgnY0gmlwhJB-_BiDaXA2kCQAYYABAADQAAAAAYEgYAGJc2VjcDI1NmsxoQKOQetrA-97TELUzuGegVD1_cHKKNnjOmJ9CYdeSTor7YN1ZHCCdsOEdWRwNoJ2ww', // nodeops-bootnode-blr1-01
    'enr:-KG4QIBsIiST0JBBvgSNxvHQOeH5PkRgWeufahVXYQQWj7GLYPFDsviuQ6qU-3Xx4qnARaZiI-qqVRyw_2qqmOKRY1UBgmlkgnY0gmlwhLKc14yDaXA2kCoBBP8A9DxKAAAAAAAAAAGJc2VjcDI1NmsxoQKx4n3wy0KtwnuZCHmlxMmc4b0VvfC4Ka_f3sUPvjUq1oN1ZHCCdsOEdWRwNoJ2ww', // nodeops-bootnode-ash-01
    'enr:-KG4QPM5C6wuTxu5yk4jkI9Mm64iSUKMPNt8y8kmoFzOlYrnYV4SBeZK7UiS4YWrkX4y2FD9_eH7xiPGvLQ-nXoXIcYBgmlkgnY0gmlwhAXfXlGDaXA2kCoBBP8C8BytAAAAAAAAAAGJc2VjcDI1NmsxoQIC3FMD8Si9DIBVofsSbJkpvXTUAfyi8q66XXQgjRhUsIN1ZHCCdsOEdWRwNoJ2ww', // nodeops-bootnode-sin-01
  ],
}
