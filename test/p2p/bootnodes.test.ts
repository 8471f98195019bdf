/** The chain specs' bootnodes and the discv5 list are valid, signed and reachable-looking. */
import { describe, expect, test } from 'bun:test'
import { dev } from '../../src/chainspec/specs/dev.ts'
import { hoodi } from '../../src/chainspec/specs/hoodi.ts'
import { mainnet } from '../../src/chainspec/specs/mainnet.ts'
import { sepolia } from '../../src/chainspec/specs/sepolia.ts'
import { V5_BOOTNODES, parseNodeUrl, parseP2pConfig } from '../../src/p2p/internals.ts'

describe('bootnodes', () => {
  test.each([mainnet, sepolia, hoodi])('$name: geth\'s list, each a signed record with an IPv4 address and UDP port', (spec) => {
    expect(spec.bootnodes.length).toBe(5)
    const ids = new Set<string>()
    for (const b of spec.bootnodes) {
      const n = parseNodeUrl(b) // verifies the signature
      expect(n.ip).toHaveLength(4)
      expect(n.udpPort).toBeGreaterThan(0)
      ids.add(Buffer.from(n.id).toString('hex'))
    }
    expect(ids.size).toBe(5)
    expect(parseP2pConfig({}, { chainBootnodes: spec.bootnodes }).bootnodes).toEqual(spec.bootnodes)
  })

  test('the chains do not share bootnodes; dev has none', () => {
    const all = [...mainnet.bootnodes, ...sepolia.bootnodes, ...hoodi.bootnodes]
    expect(new Set(all).size).toBe(15)
    expect(dev.bootnodes).toEqual([])
  })

  test('the discv5 list parses', () => {
    expect(V5_BOOTNODES.length).toBe(16)
    for (const b of V5_BOOTNODES) expect(parseNodeUrl(b).udpPort).toBeGreaterThan(0)
  })
})
