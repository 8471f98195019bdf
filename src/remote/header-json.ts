/**
 * An upstream block's header from its eth_getBlockByNumber JSON, checked by hash: the fork's
 * base block must hash to what the upstream calls it, or the blocks mined on top would not link.
 */
import { bytesToHex, equalBytes, hexToBigint, hexToBytes, isHex } from '../primitives/index.ts'
import { headerHash, type Header } from '../types/index.ts'
import { RemoteError } from './errors.ts'

export function headerFromJson(v: unknown, upstream: string): Header {
  const what = `block ${(v as { number?: unknown })?.number ?? '?'} of upstream ${upstream}`
  if (!v || typeof v !== 'object') throw new RemoteError('bad-response', `${what}: not a block object`)
  const o = v as Record<string, unknown>
  const hex = (k: string): string => {
    const x = o[k]
    if (!isHex(x)) throw new RemoteError('bad-response', `${what}: field ${k} is not hex (${JSON.stringify(x)})`)
    return x
  }
  const opt = <T>(k: string, f: (s: string) => T): T | undefined => (o[k] === undefined || o[k] === null ? undefined : f(hex(k)))
  const header: Header = {
    parentHash: hexToBytes(hex('parentHash')),
    ommersHash: hexToBytes(hex('sha3Uncles')),
    coinbase: hexToBytes(hex('miner')),
    stateRoot: hexToBytes(hex('stateRoot')),
    transactionsRoot: hexToBytes(hex('transactionsRoot')),
    receiptsRoot: hexToBytes(hex('receiptsRoot')),
    logsBloom: hexToBytes(hex('logsBloom')),
    difficulty: hexToBigint(hex('difficulty')),
    number: hexToBigint(hex('number')),
    gasLimit: hexToBigint(hex('gasLimit')),
    gasUsed: hexToBigint(hex('gasUsed')),
    timestamp: hexToBigint(hex('timestamp')),
    extraData: hexToBytes(hex('extraData')),
    mixHash: hexToBytes(hex('mixHash')),
    nonce: hexToBytes(hex('nonce')),
    baseFeePerGas: opt('baseFeePerGas', hexToBigint),
    withdrawalsRoot: opt('withdrawalsRoot', hexToBytes),
    blobGasUsed: opt('blobGasUsed', hexToBigint),
    excessBlobGas: opt('excessBlobGas', hexToBigint),
    parentBeaconBlockRoot: opt('parentBeaconBlockRoot', hexToBytes),
    requestsHash: opt('requestsHash', hexToBytes),
  }
  for (const k of Object.keys(header) as (keyof Header)[]) if (header[k] === undefined) delete header[k]
  const claimed = hexToBytes(hex('hash'))
  const hash = headerHash(header)
  if (!equalBytes(hash, claimed)) throw new RemoteError('bad-response', `${what}: its fields hash to ${bytesToHex(hash)}, not to its hash ${bytesToHex(claimed)}`, { details: 'the upstream sends a header field this build does not know' })
  return header
}
