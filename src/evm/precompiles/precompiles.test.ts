import { describe, expect, test } from 'bun:test'
import { blake2b } from '@noble/hashes/blake2.js'
import { bn254 } from '@noble/curves/bn254.js'
import { bigintToWord, bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '../../primitives/index.ts'
import { getFork } from '../forks.ts'
import { ecrecover } from './01-ecrecover.ts'
import { sha256 } from './02-sha256.ts'
import { ripemd160 } from './03-ripemd160.ts'
import { identity } from './04-identity.ts'
import { modexp, modexpGas, modPow } from './05-modexp.ts'
import { bn254Add } from './06-bn254-add.ts'
import { bn254Mul } from './07-bn254-mul.ts'
import { bn254PairingCheck } from './08-bn254-pairing.ts'
import { blake2f } from './09-blake2f.ts'
import { pointEvaluation } from './0a-point-evaluation.ts'
import { p256verify } from './100-p256verify.ts'

const osaka = getFork('osaka')
const cancun = getFork('cancun')
const h = (s: string) => hexToBytes(`0x${s.replace(/\s+/g, '')}`)
const word = (n: bigint) => bigintToWord(n)

describe('0x01 ecrecover', () => {
  const input = h(`456e9aea5e197a1f1af7a3e85a3212fa4049a3ba34c2289b4c860fc0b0c64ef3
    000000000000000000000000000000000000000000000000000000000000001c
    9242685bf161793cc25603c231bc2f568eb630ea16aa137d2664ac8038825608
    4f8ae3bd7535248d0bd448298cc2e2071e56992d0774dc340c368ae950852ada`)
  test('recovers the signer', () => {
    const r = ecrecover(input, 5000, osaka)
    expect(r.gasUsed).toBe(3000)
    expect(bytesToHex(r.output)).toBe('0x0000000000000000000000007156526fbd7a3c72969b54f64e42c10fbb768c8a')
  })
  test('bad v gives empty output, not an error', () => {
    const bad = input.slice()
    bad[63] = 29
    expect(ecrecover(bad, 5000, osaka)).toEqual({ status: 'success', gasUsed: 3000, output: new Uint8Array(0) })
  })
  test('out of gas', () => expect(ecrecover(input, 2999, osaka).status).toBe('outOfGas'))
})

describe('hashes and identity', () => {
  test('sha256', () => {
    const r = sha256(utf8ToBytes('abc'), 100, osaka)
    expect(r.gasUsed).toBe(72)
    expect(bytesToHex(r.output)).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
  test('ripemd160 is left-padded', () => {
    const r = ripemd160(new Uint8Array(0), 1000, osaka)
    expect(r.gasUsed).toBe(600)
    expect(bytesToHex(r.output)).toBe('0x0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31')
  })
  test('identity', () => {
    const r = identity(h('0102030405'), 100, osaka)
    expect(r.gasUsed).toBe(18)
    expect(bytesToHex(r.output)).toBe('0x0102030405')
    expect(identity(new Uint8Array(33), 20, osaka).status).toBe('outOfGas')
  })
})

describe('0x05 modexp', () => {
  // EIP-198 example: 3^(p-2) mod p = 1 (Fermat), p = secp256k1 field prime
  const fermat = h(`0000000000000000000000000000000000000000000000000000000000000001
    0000000000000000000000000000000000000000000000000000000000000020
    0000000000000000000000000000000000000000000000000000000000000020
    03
    fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e
    fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f`)
  test('EIP-198 example 1 with EIP-2565 and EIP-7883 gas', () => {
    const r = modexp(fermat, 100_000, cancun)
    expect(r.output).toEqual(word(1n))
    expect(r.gasUsed).toBe(1360)
    expect(modexp(fermat, 100_000, osaka).gasUsed).toBe(4080)
  })
  test('EIP-198 example 2: zero modulus gives zero, exponent lengths past the input read as 0', () => {
    const input = h(`0000000000000000000000000000000000000000000000000000000000000000
      0000000000000000000000000000000000000000000000000000000000000020
      0000000000000000000000000000000000000000000000000000000000000020
      fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e
      fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f`)
    expect(modexp(input, 100_000, cancun).output).toEqual(word(0n))
  })
  test('minimum gas 200 / 500 and EIP-7823 bounds', () => {
    const small = concatBytes(word(1n), word(1n), word(1n), h('020305'))
    expect(modexp(small, 1000, cancun)).toEqual({ status: 'success', gasUsed: 200, output: h('03') })
    expect(modexp(small, 1000, osaka).gasUsed).toBe(500)
    const big = concatBytes(word(1025n), word(1n), word(1n))
    expect(modexp(big, 10_000_000, osaka).status).toBe('error')
    expect(modexp(big, 10_000_000, cancun).status).toBe('success')
  })
  test('windowed modPow matches square-and-multiply', () => {
    const naive = (b: bigint, e: bigint, m: bigint) => {
      if (m <= 1n) return 0n
      let r = 1n
      b %= m
      for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m
      return r
    }
    let x = 12345n
    const next = () => (x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n))
    for (let i = 0; i < 300; i++) {
      const b = next() * next(), e = i % 9 === 0 ? BigInt(i % 3) : next() << BigInt(i % 70), m = i % 13 === 0 ? BigInt(i % 3) : next() * next() + 1n
      expect(modPow(b, e, m)).toBe(naive(b, e, m))
    }
  })
  test('gas formula for large exponents', () => {
    expect(modexpGas(64n, 64n, 64n, 1n << 255n, false)).toBe((64n * (8n * 32n + 255n)) / 3n)
    expect(modexpGas(64n, 64n, 64n, 1n << 255n, true)).toBe(2n * 64n * (16n * 32n + 255n))
  })
})

describe('bn254 (EIP-196/197)', () => {
  const G1 = concatBytes(word(1n), word(2n))
  const DOUBLE = h(`030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3
    15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4`)
  test('add', () => {
    const r = bn254Add(concatBytes(G1, G1), 150, osaka)
    expect(r.gasUsed).toBe(150)
    expect(r.output).toEqual(DOUBLE)
    expect(bn254Add(new Uint8Array(0), 150, osaka).output).toEqual(new Uint8Array(64))
    expect(bn254Add(concatBytes(word(1n), word(3n)), 1000, osaka).status).toBe('error')
  })
  test('mul', () => {
    expect(bn254Mul(concatBytes(G1, word(2n)), 6000, osaka).output).toEqual(DOUBLE)
    expect(bn254Mul(concatBytes(G1, word(0n)), 6000, osaka).output).toEqual(new Uint8Array(64))
    const n = bn254.fields.Fr.ORDER
    expect(bn254Mul(concatBytes(G1, word(n + 2n)), 6000, osaka).output).toEqual(DOUBLE)
  })
  test('pairing: e(G1, G2) · e(-G1, G2) = 1', () => {
    const G2 = h(`198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2
      1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed
      090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b
      12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa`)
    const p = bn254.fields.Fp.ORDER
    const negG1 = concatBytes(word(1n), word(p - 2n))
    const one = bn254PairingCheck(concatBytes(G1, G2, negG1, G2), 200_000, osaka)
    expect(one.gasUsed).toBe(45000 + 2 * 34000)
    expect(one.output).toEqual(word(1n))
    expect(bn254PairingCheck(concatBytes(G1, G2), 200_000, osaka).output).toEqual(word(0n))
    expect(bn254PairingCheck(new Uint8Array(0), 200_000, osaka).output).toEqual(word(1n))
    expect(bn254PairingCheck(new Uint8Array(191), 200_000, osaka).status).toBe('error')
  })
})

describe('0x09 blake2f (EIP-152)', () => {
  const vector = (rounds: string, final: string) =>
    h(`${rounds}
      48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b
      6162630000000000000000000000000000000000000000000000000000000000
      0000000000000000000000000000000000000000000000000000000000000000
      0000000000000000000000000000000000000000000000000000000000000000
      0000000000000000000000000000000000000000000000000000000000000000
      0300000000000000 0000000000000000 ${final}`)
  test('vector 5: 12 rounds equals BLAKE2b-512("abc")', () => {
    const r = blake2f(vector('0000000c', '01'), 100, osaka)
    expect(r.gasUsed).toBe(12)
    expect(r.output).toEqual(blake2b(utf8ToBytes('abc')))
    expect(bytesToHex(r.output)).toBe('0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923')
  })
  test('vector 6 (not final) and vector 7 (1 round)', () => {
    expect(bytesToHex(blake2f(vector('0000000c', '00'), 100, osaka).output)).toBe('0x75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735')
    expect(bytesToHex(blake2f(vector('00000001', '01'), 100, osaka).output)).toBe('0xb63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421')
  })
  test('invalid length or final flag fails', () => {
    expect(blake2f(new Uint8Array(212), 100, osaka).status).toBe('error')
    expect(blake2f(vector('0000000c', '02'), 100, osaka).status).toBe('error')
  })
})

describe('0x0a KZG point evaluation (EIP-4844)', () => {
  const valid = h(`01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b
    564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306
    24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1
    8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7
    873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a`)
  const expected = '0x000000000000000000000000000000000000000000000000000000000000100073eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001'
  test('a valid proof (geth test vector)', () => {
    const r = pointEvaluation(valid, 60_000, osaka)
    expect(r.status).toBe('success')
    expect(r.gasUsed).toBe(50000)
    expect(bytesToHex(r.output)).toBe(expected)
  }, 30_000) // the first call loads the KZG trusted setup
  test('a valid proof at z = r - 1', () => {
    const input = h(`01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b
      73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000
      1522a4a7f34e1ea350ae07c29c96c7e79655aa926122e95fe69fcbd932ca49e9
      8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7
      a62ad71d14c5719385c0686f1871430475bf3a00f0aa3f7b8dd99a9abc2160744faf0070725e00b60ad9a026a15b1a8c`)
    expect(bytesToHex(pointEvaluation(input, 60_000, osaka).output)).toBe(expected)
  })
  test('wrong y, wrong versioned hash, z ≥ r, bad length and low gas fail', () => {
    const wrongY = valid.slice()
    wrongY[95] ^= 1
    expect(pointEvaluation(wrongY, 60_000, osaka).status).toBe('error')
    const wrongHash = valid.slice()
    wrongHash[5] ^= 1
    expect(pointEvaluation(wrongHash, 60_000, osaka).status).toBe('error')
    const bigZ = valid.slice()
    bigZ.set(h('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001'), 32)
    expect(pointEvaluation(bigZ, 60_000, osaka).status).toBe('error')
    expect(pointEvaluation(valid.subarray(1), 60_000, osaka).status).toBe('error')
    expect(pointEvaluation(valid, 49_999, osaka).status).toBe('outOfGas')
  })
})

describe('0x100 P256VERIFY (EIP-7951)', () => {
  test('verifies a signature made with @noble/curves', async () => {
    const { p256 } = await import('@noble/curves/nist.js')
    const sk = new Uint8Array(32).fill(7)
    const pub = p256.getPublicKey(sk, false)
    const hash = sha256(utf8ToBytes('mosaic'), 100, osaka).output
    const sig = p256.sign(hash, sk, { prehash: false })
    const input = concatBytes(hash, sig.slice(0, 64), pub.subarray(1))
    expect(p256verify(input, 10_000, osaka)).toEqual({ status: 'success', gasUsed: 6900, output: word(1n) })
    const bad = input.slice()
    bad[0] ^= 1
    expect(p256verify(bad, 10_000, osaka).output.length).toBe(0)
    expect(p256verify(input.subarray(1), 10_000, osaka).output.length).toBe(0)
    expect(p256verify(input, 6899, osaka).status).toBe('outOfGas')
  })
})
