/**
 * BIP-39 mnemonics to BIP-32 keys on Ethereum's path (m/44'/60'/0'/0/i), as anvil and Hardhat
 * derive their dev accounts; through @scure/bip39 and @scure/bip32, the audited libraries viem
 * and ethers' peers use.
 */
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english'
import { CryptoError } from './errors.ts'

/** The private keys of accounts 0…count-1 of `mnemonic`; throws CryptoError for a mnemonic that fails its checksum. */
export function mnemonicKeys(mnemonic: string, count: number, path = "m/44'/60'/0'/0"): Uint8Array[] {
  const words = mnemonic.trim().split(/\s+/).join(' ')
  if (!validateMnemonic(words, wordlist)) throw new CryptoError('INVALID_MNEMONIC', 'not a valid BIP-39 English mnemonic (wrong word or checksum)')
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(words))
  return Array.from({ length: count }, (_, i) => {
    const key = root.derive(`${path}/${i}`).privateKey
    // a derived key is always present for a private root; kept as a check of the library's contract
    if (!key) throw new CryptoError('INVALID_MNEMONIC', `no private key at ${path}/${i}`)
    return key
  })
}
