/**
 * JSON text a handler built already (a struct-logger trace, serialized entry by entry as it
 * runs, so it never exists as millions of objects): the dispatcher writes it as it is.
 * `rawJsonOf` serializes a value with RawJson parts inside (a block's traces).
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `value` as JSON text, each RawJson inside it spliced in verbatim. */
export function rawJsonOf(value: unknown): RawJson {
  const parts: string[] = []
  // a token no other string can be: JSON.stringify writes a NUL as the six characters \u0000
  const tag = `\u0000raw:${Math.random().toString(36).slice(2)}:`
  const text = JSON.stringify(value, (_k, v) => (v instanceof RawJson ? `${tag}${parts.push(v.text) - 1}` : v))
  const quoted = JSON.stringify(tag).slice(1, -1)
  const re = new RegExp(`"${quoted.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`, 'g')
  return new RawJson(text.replace(re, (_m, i: string) => parts[Number(i)]!))
}
