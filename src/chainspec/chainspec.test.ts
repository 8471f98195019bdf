import { describe, expect, test } from 'bun:test'
import { bytesToHex } from '../primitives/index.ts'
import { blobParamsAt, ChainSpecError, dev, DEV_ACCOUNTS, forkAt, genesisHash, genesisHeader, getChainSpec, hoodi, mainnet, parseGenesisJson, sepolia } from './index.ts'

describe('built-in genesis hashes', () => {
  test('mainnet', () => expect(bytesToHex(genesisHash(mainnet))).toBe('0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3'))
  test('sepolia', () => expect(bytesToHex(genesisHash(sepolia))).toBe('0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9'))
  test('hoodi', () => expect(bytesToHex(genesisHash(hoodi))).toBe('0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b'))
  test('dev has Prague fields and funded accounts', () => {
    const h = genesisHeader(dev)
    expect(h.requestsHash).toBeDefined()
    expect(h.baseFeePerGas).toBe(1_000_000_000n)
    expect(dev.alloc().size).toBe(DEV_ACCOUNTS.length + 4)
  })
})

describe('fork rules', () => {
  test('mainnet forks by block and time', () => {
    expect(forkAt(mainnet, 0n, 0n)).toBe('frontier')
    expect(forkAt(mainnet, 1_150_000n, 0n)).toBe('homestead')
    expect(forkAt(mainnet, 12_965_000n, 0n)).toBe('london')
    expect(forkAt(mainnet, 15_537_394n, 1_663_224_179n)).toBe('paris')
    expect(forkAt(mainnet, 19_426_587n, 1_710_338_135n)).toBe('cancun')
    expect(forkAt(mainnet, 23_000_000n, 1_764_798_551n)).toBe('osaka')
    // BPO forks change blob parameters, not the EVM fork.
    expect(forkAt(mainnet, 24_000_000n, 1_767_747_671n)).toBe('osaka')
  })
  test('blob schedule follows Cancun, Prague and the BPO forks', () => {
    expect(blobParamsAt(mainnet, 1_700_000_000n)).toBeUndefined()
    expect(blobParamsAt(mainnet, 1_710_338_135n)?.max).toBe(6)
    expect(blobParamsAt(mainnet, 1_746_612_311n)?.max).toBe(9)
    expect(blobParamsAt(mainnet, 1_765_290_071n)?.max).toBe(15)
    expect(blobParamsAt(mainnet, 1_767_747_671n)?.max).toBe(21)
  })
})

describe('genesis.json', () => {
  const json = {
    config: { chainId: 1337, homesteadBlock: 0, eip150Block: 0, eip155Block: 0, byzantiumBlock: 0, constantinopleBlock: 0, petersburgBlock: 0, istanbulBlock: 0, berlinBlock: 0, londonBlock: 0, terminalTotalDifficulty: 0, shanghaiTime: 0, cancunTime: 0 },
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    alloc: { '0x0000000000000000000000000000000000000001': { balance: '0x1' }, f39fd6e51aad88f6f4ce6ab8827279cfffb92266: { balance: '1000', storage: { '0x01': '0x02' } } },
  }
  test('parses forks, header fields and alloc', () => {
    const spec = parseGenesisJson(json)
    expect(spec.chainId).toBe(1337n)
    expect(forkAt(spec, 0n, 0n)).toBe('cancun')
    const h = genesisHeader(spec)
    expect(h.gasLimit).toBe(30_000_000n)
    expect(h.blobGasUsed).toBe(0n)
    expect(h.requestsHash).toBeUndefined()
    expect(spec.alloc().get('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')?.storage.get(1n)).toBe(2n)
  })
  test('bad input is a ChainSpecError naming the field', () => {
    expect(() => parseGenesisJson({})).toThrow(ChainSpecError)
    expect(() => parseGenesisJson({ config: {} })).toThrow('chainId')
    expect(() => parseGenesisJson({ ...json, gasLimit: 'lots' })).toThrow('gasLimit')
    expect(() => parseGenesisJson({ ...json, config: { chainId: 1, londonBlock: 5, berlinBlock: 9 } })).toThrow('before')
    expect(() => parseGenesisJson({ ...json, alloc: { nope: {} } })).toThrow()
  })
  test('getChainSpec by name or id, with a clear error otherwise', () => {
    expect(getChainSpec('mainnet')).toBe(mainnet)
    expect(getChainSpec('31337')).toBe(dev)
    expect(getChainSpec(560048n)).toBe(hoodi)
    expect(() => getChainSpec('goerli')).toThrow('choose one of')
  })
})
