/** Logs as receipts carry them: `[address, [topic, ...], data]`. */
import { rlpBytes, rlpFixed, rlpList, RlpError, type Address, type Hash, type RlpInput, type RlpItem } from '../primitives/index.ts'

export interface Log {
  address: Address
  topics: Hash[]
  data: Uint8Array
}

export function logFromRlp(item: RlpItem): Log {
  const f = rlpList(item, 'log')
  if (f.length !== 3) throw new RlpError('wrong-shape', `log has ${f.length} fields, expected 3`)
  return {
    address: rlpFixed(f[0], 'log address', 20),
    topics: rlpList(f[1], 'log topics').map((t) => rlpFixed(t, 'log topic', 32)),
    data: rlpBytes(f[2], 'log data'),
  }
}

export function logToRlp(log: Log): RlpInput {
  return [log.address, log.topics, log.data]
}
