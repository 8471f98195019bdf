/** EIP-2930 access lists: `[[address, [storageKey, ...]], ...]`. */
import type { RlpInput } from '../primitives/index.ts'
import { TransactionError } from './errors.ts'
import type { AccessList } from './transaction.ts'
import { txBytes, txList, type Field } from './tx-fields.ts'

const FIELD = 'accessList'

export function decodeAccessList(item: Field | undefined): AccessList {
  const entries = txList(item, FIELD)
  const out: AccessList = new Array(entries.length)
  for (let i = 0; i < entries.length; i++) {
    const entry = txList(entries[i], FIELD)
    if (entry.length !== 2)
      throw new TransactionError('field-count', `access list entry ${i} must have 2 items, got ${entry.length}`, { field: FIELD })
    const address = txBytes(entry[0], FIELD)
    if (address.length !== 20)
      throw new TransactionError('address-length', `access list address ${i} must be 20 bytes, got ${address.length}`, { field: FIELD })
    const keys = txList(entry[1], FIELD)
    const storageKeys: Uint8Array[] = new Array(keys.length)
    for (let j = 0; j < keys.length; j++) {
      const key = txBytes(keys[j], FIELD)
      if (key.length !== 32)
        throw new TransactionError('storage-key-length', `access list storage key ${i}.${j} must be 32 bytes, got ${key.length}`, { field: FIELD })
      storageKeys[j] = key
    }
    out[i] = { address, storageKeys }
  }
  return out
}

export function accessListToRlp(list: AccessList): RlpInput[] {
  return list.map((e) => [e.address, e.storageKeys])
}

/** Number of addresses and storage keys, as intrinsic gas counts them. */
export function accessListCounts(list: AccessList): { addresses: number; storageKeys: number } {
  let storageKeys = 0
  for (const e of list) storageKeys += e.storageKeys.length
  return { addresses: list.length, storageKeys }
}
