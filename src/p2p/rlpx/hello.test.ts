import { describe, expect, test } from 'bun:test'
import { encodeRlp, hexToBytes } from '../../primitives/index.ts'
import { DisconnectReason, P2pError } from '../errors.ts'
import { compress, decodeDisconnect, decodeHello, decompress, encodeDisconnect, encodeHello, negotiateCapabilities } from './hello.ts'

describe('base protocol', () => {
  test('EIP-8 Hello vector (version 22, extra elements) decodes', () => {
    const v = hexToBytes(
      '0xf87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304',
    )
    const h = decodeHello(v)
    expect(h.protocolVersion).toBe(55)
    expect(h.clientId).toBe('kneth/v0.91/plan9')
    expect(h.capabilities).toEqual([
      { name: 'eth', version: 61 },
      { name: 'mork', version: 22 },
    ])
    expect(h.listenPort).toBe(9999)
    expect(h.nodeId.length).toBe(64)
  })

  test('Hello round trip and bad Hello', () => {
    const h = { protocolVersion: 5, clientId: 'mosaic/v0', capabilities: [{ name: 'eth', version: 68 }], listenPort: 30303, nodeId: new Uint8Array(64).fill(1) }
    expect(decodeHello(encodeHello(h))).toEqual(h)
    expect(() => decodeHello(encodeRlp([5, new Uint8Array(1), [], 1, new Uint8Array(63)]))).toThrow(P2pError)
  })

  test('capability negotiation: highest shared version per name, sorted by name, offsets from 0x10', () => {
    const local = [
      { name: 'eth', version: 68, length: 17 },
      { name: 'eth', version: 69, length: 18 },
      { name: 'snap', version: 1, length: 8 },
      { name: 'aaa', version: 1, length: 3 },
    ]
    const shared = negotiateCapabilities(local, [
      { name: 'snap', version: 1 },
      { name: 'eth', version: 68 },
      { name: 'eth', version: 69 },
      { name: 'les', version: 4 },
    ])
    expect(shared).toEqual([
      { name: 'eth', version: 69, length: 18, offset: 0x10 },
      { name: 'snap', version: 1, length: 8, offset: 0x22 },
    ])
    expect(negotiateCapabilities(local, [{ name: 'eth', version: 67 }])).toEqual([])
  })

  test('Disconnect encodings: list, bare, empty', () => {
    expect(decodeDisconnect(encodeDisconnect(DisconnectReason.TooManyPeers))).toBe(DisconnectReason.TooManyPeers)
    expect(decodeDisconnect(encodeRlp(4))).toBe(DisconnectReason.TooManyPeers)
    expect(decodeDisconnect(encodeRlp([]))).toBe(DisconnectReason.DisconnectRequested)
  })

  test('snappy: round trip; announced size above the limit refused before decompressing', () => {
    const data = new Uint8Array(100_000).map((_, i) => i % 7)
    expect(decompress(compress(data))).toEqual(data)
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return (e as P2pError).code
      }
    }
    expect(code(() => decompress(compress(data), 1000))).toBe('FRAME_TOO_LARGE')
    expect(code(() => decompress(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])))).toBe('MESSAGE_INVALID')
    expect(code(() => decompress(new Uint8Array([0x05, 0xff, 0xff])))).toBe('MESSAGE_INVALID')
  })
})
