/**
 * Structure-aware mutation: an input that parses as RLP (after an optional EIP-2718 type byte)
 * is changed at one item of its tree and encoded again, so that the result is well-formed RLP
 * whose content is wrong in one place — the inputs that reach the decoders' field checks, which
 * random bytes almost never get past the RLP layer to hit. Input that does not parse is
 * returned unchanged (the caller then mutates bytes).
 */
import { decodeRlp, encodeRlp, MosaicError, type RlpInput } from '../../src/primitives/index.ts'
import type { Rng } from './decoder-targets.ts'

type Item = Uint8Array | Item[]

/** Values that break one field's rules: empty, leading zero, one byte over a width, the 2^256 boundary, a long string. */
function oddValue(r: Rng, old: Uint8Array): Uint8Array {
  switch (r.int(9)) {
    case 0:
      return new Uint8Array(0)
    case 1:
      return new Uint8Array([0, ...old]) // leading zero (non-canonical integer)
    case 2:
      return new Uint8Array(old.length + 1).fill(0xff) // one byte too wide
    case 3:
      return old.subarray(0, Math.max(0, old.length - 1)) // one byte too narrow
    case 4:
      return new Uint8Array([1, ...new Uint8Array(32)]) // 2^256
    case 5:
      return new Uint8Array(32).fill(0xff) // 2^256 - 1
    case 6:
      return new Uint8Array([0]) // zero written as a byte
    case 7:
      return r.bytes(56 + r.int(80)) // a long string where a short one goes
    default:
      return r.bytes(old.length)
  }
}

/** All the positions of a tree (paths of indices), the root first. */
function paths(item: Item, at: number[] = [], out: number[][] = []): number[][] {
  out.push(at)
  if (Array.isArray(item)) item.forEach((c, i) => paths(c, [...at, i], out))
  return out
}

function get(item: Item, path: number[]): Item {
  return path.reduce<Item>((node, i) => (node as Item[])[i]!, item)
}

function replace(item: Item, path: number[], by: (old: Item) => Item | undefined): Item {
  if (path.length === 0) return by(item) ?? []
  const [i, ...rest] = path as [number, ...number[]]
  const list = (item as Item[]).slice()
  const next = rest.length === 0 ? by(list[i]!) : replace(list[i]!, rest, by)
  if (next === undefined) list.splice(i, 1)
  else list[i] = next
  return list
}

/** One change at a random position: an odd value, a list for a string or the reverse, an item dropped, duplicated or moved in. */
function mutateTree(r: Rng, tree: Item): Item {
  const all = paths(tree)
  const path = all[r.int(all.length)]!
  const donor = get(tree, all[r.int(all.length)]!)
  return replace(tree, path, (old) => {
    switch (r.int(6)) {
      case 0:
        return old instanceof Uint8Array ? oddValue(r, old) : []
      case 1:
        return old instanceof Uint8Array ? [old] : (old[0] ?? new Uint8Array(0))
      case 2:
        return path.length ? undefined : old // dropped (a missing field)
      case 3:
        return Array.isArray(old) ? [...old, old[old.length - 1] ?? new Uint8Array(0)] : old // an extra field
      case 4:
        return donor // another part of the same input in this place
      default:
        return Array.isArray(old) ? old.slice().reverse() : oddValue(r, old)
    }
  })
}

/** `input` with one structural change, or unchanged when it is not RLP (typed or plain). */
export function mutateRlp(r: Rng, input: Uint8Array): Uint8Array {
  const typed = input.length > 0 && input[0]! < 0x80 ? 1 : 0
  let tree: Item
  try {
    tree = decodeRlp(input.subarray(typed)) as Item
  } catch (err) {
    if (err instanceof MosaicError) return input
    throw err
  }
  const body = encodeRlp(mutateTree(r, tree) as RlpInput)
  if (!typed) return body
  // now and then another type byte in front of the same body
  const type = r.int(8) === 0 ? r.int(0x80) : input[0]!
  return new Uint8Array([type, ...body])
}
