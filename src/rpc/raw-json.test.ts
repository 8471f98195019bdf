import { expect, test } from 'bun:test'
import { RawJson, rawJsonOf } from './raw-json.ts'

test('rawJsonOf splices RawJson parts verbatim and leaves look-alike strings alone', () => {
  const v = [{ a: new RawJson('[1,2]'), s: '\u0000raw:x:0' }, new RawJson('{"b":true}')]
  const text = rawJsonOf(v).text
  expect(text).toBe('[{"a":[1,2],"s":"\\u0000raw:x:0"},{"b":true}]')
  expect(JSON.parse(text)).toEqual([{ a: [1, 2], s: '\u0000raw:x:0' }, { b: true }])
})
