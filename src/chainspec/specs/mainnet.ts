import { hexToBytes, parseAddress, ZERO_ADDRESS, ZERO_HASH } from '../../primitives/index.ts'
import { DEFAULT_BLOB_SCHEDULE } from '../genesis.ts'
import type { ChainSpec } from '../types.ts'
import { allocFromPackage, lazy } from './alloc.ts'

export const mainnet: ChainSpec = {
  name: 'mainnet',
  chainId: 1n,
  networkId: 1n,
  forks: [
    { fork: 'frontier', block: 0n },
    { fork: 'homestead', block: 1_150_000n },
    { fork: 'dao', block: 1_920_000n },
    { fork: 'tangerineWhistle', block: 2_463_000n },
    { fork: 'spuriousDragon', block: 2_675_000n },
    { fork: 'byzantium', block: 4_370_000n },
    { fork: 'constantinople', block: 7_280_000n },
    { fork: 'petersburg', block: 7_280_000n },
    { fork: 'istanbul', block: 9_069_000n },
    { fork: 'muirGlacier', block: 9_200_000n },
    { fork: 'berlin', block: 12_244_000n },
    { fork: 'london', block: 12_965_000n },
    { fork: 'arrowGlacier', block: 13_773_000n },
    { fork: 'grayGlacier', block: 15_050_000n },
    // The merge happened at a total difficulty; 15,537,394 is the first proof-of-stake block.
    { fork: 'paris', block: 15_537_394n, inForkId: false },
    { fork: 'shanghai', timestamp: 1_681_338_455n },
    { fork: 'cancun', timestamp: 1_710_338_135n },
    { fork: 'prague', timestamp: 1_746_612_311n },
    { fork: 'osaka', timestamp: 1_764_798_551n },
    { fork: 'bpo1', timestamp: 1_765_290_071n },
    { fork: 'bpo2', timestamp: 1_767_747_671n },
  ],
  blobSchedule: {
    ...DEFAULT_BLOB_SCHEDULE,
    bpo1: { target: 10, max: 15, baseFeeUpdateFraction: 8_346_193n },
    bpo2: { target: 14, max: 21, baseFeeUpdateFraction: 11_684_671n },
  },
  terminalTotalDifficulty: 58_750_000_000_000_000_000_000n,
  depositContractAddress: parseAddress('0x00000000219ab540356cbb839cbe05303d7705fa'),
  genesis: {
    timestamp: 0n,
    gasLimit: 5000n,
    difficulty: 17_179_869_184n,
    extraData: hexToBytes('0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa'),
    nonce: hexToBytes('0x0000000000000042'),
    mixHash: ZERO_HASH,
    coinbase: ZERO_ADDRESS,
  },
  // Required on first use only: the allocation is large and most runs never need it.
  alloc: lazy(() => allocFromPackage(require('@ethereumjs/genesis/mainnet').mainnetGenesis)),
  // geth's MainnetBootnodes (params/bootnodes.go): EF nodeops bootnodes, as signed node records.
  bootnodes: [
    'enr:-KG4QCF1Mj32xpKHjinNb6ocCtMZG6IR_tyF5dkio5Hkek7zVbT6MM5eJwhjJFdiksQl51T33IRgryE0XLXiy1QOqsUBgmlkgnY0gmlwhNRj2kKDaXA2kCoAHKALAA0CAAAAAAAAAF6Jc2VjcDI1NmsxoQLKlnQYuhZRBTA8-7cz37kr_KuA1lAJ1eXxWMjp5fLJB4N1ZHCCTreEdWRwNoJOtw', // nodeops-bootnode-dcl1-01
    'enr:-KG4QMHihBfLI_tpXLWmfTi28HItJa4wDADDAaVjkfSELAb0BajqVWXM2GEMds5J63SCkpDRlqct5E8ftfQi4U93pigBgmlkgnY0gmlwhIHUpj2DaXA2kCYEqIAABAHQAAAAA2GdUACJc2VjcDI1NmsxoQLeQmW8OMuoUIoUImNW-r9IC4jaiAwZ2knfV4BqWyQvKoN1ZHCCdl-EdWRwNoJ2Xw', // nodeops-bootnode-sfo3-01
    'enr:-KG4QKsHcKQvIX8UPbJgw2cIEP_9EislF1srNGdYom4dcSsobt-92iEDNkHTt9dcdKXHaDMVbCM8QQ4V1RP8HcExLDsBgmlkgnY0gmlwhJB-_BiDaXA2kCQAYYABAADQAAAAAYEgYAGJc2VjcDI1NmsxoQILdc6UClD5s_N8-hYhIGQtFqRYR3Qxf9qgLQ7sj4qvEYN1ZHCCdl-EdWRwNoJ2Xw', // nodeops-bootnode-blr1-01
    'enr:-KG4QFplptv1jVEhFeNNxRN7qe5p9rAGGlMeNnmGvUJV23W4Kr8hmiSzdWjZZHFqwi7nOuQrM32VO6uHBORXOdLG98gBgmlkgnY0gmlwhLKc14yDaXA2kCoBBP8A9DxKAAAAAAAAAAGJc2VjcDI1NmsxoQMBRycp4yiHbGzOqZPPMmuKGslp1NpOrFf_predLYM4-oN1ZHCCdl-EdWRwNoJ2Xw', // nodeops-bootnode-ash-01
    'enr:-KG4QGY74qTrst5NbQDAMIF8B7jEC8CMBSo6C5Ljea5I4PxYV1VSYdsGUqqIBlOYRBfwhl6YpEyvvvZOqNCa4dvmSXgBgmlkgnY0gmlwhAXfXlGDaXA2kCoBBP8C8BytAAAAAAAAAAGJc2VjcDI1NmsxoQIMlJp7yNcblauYicEeSBpHQzFAk9Wg3lhx3ie9gpTohIN1ZHCCdl-EdWRwNoJ2Xw', // nodeops-bootnode-sin-01
  ],
}
