import { expect, test } from 'bun:test'
import { FORKS, isForkAtLeast, parseForkName, txRules } from './index.ts'

test('fork order and fixture names', () => {
  expect(FORKS[0]).toBe('frontier')
  expect(isForkAtLeast('istanbul', 'istanbul')).toBe(true)
  expect(isForkAtLeast('berlin', 'london')).toBe(false)
  expect(parseForkName('EIP150')).toBe('tangerineWhistle')
  expect(parseForkName('EIP158')).toBe('spuriousDragon')
  expect(parseForkName('ConstantinopleFix')).toBe('petersburg')
  expect(parseForkName('Merge')).toBe('paris')
  expect(parseForkName('Cancun')).toBe('cancun')
  expect(parseForkName('SpuriousDragon')).toBe('spuriousDragon')
  expect(parseForkName('Atlantis')).toBeUndefined()
})

test('transaction rules per fork', () => {
  expect(txRules('frontier').eip2).toBe(false)
  expect(txRules('homestead').eip2).toBe(true)
  expect(txRules('spuriousDragon').eip155).toBe(true)
  expect(txRules('muirGlacier').eip2028).toBe(true)
  expect(txRules('cancun').maxBlobsPerTransaction).toBe(6)
  expect(txRules('prague').maxBlobsPerTransaction).toBe(9)
  expect(txRules('osaka')).toMatchObject({ eip7825: true, eip7702: true, maxBlobsPerTransaction: 6 })
  expect(txRules('london')).toBe(txRules('london'))
})
