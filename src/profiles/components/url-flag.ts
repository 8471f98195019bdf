/** The URL flags of the components that talk to another node (--fork-url, --state.url, --state.ws, --txpool.forward). */
import { ConfigError } from '../../node/index.ts'

const SCHEMES = {
  http: { pattern: /^https?:\/\//, expected: 'an http:// or https:// URL' },
  ws: { pattern: /^wss?:\/\//, expected: 'a ws:// or wss:// URL' },
} as const

/** `url` when it is an http(s):// (or ws(s)://) URL, else the flag's start-up error. */
export function checkedUrl(flag: string, url: string, kind: keyof typeof SCHEMES = 'http'): string {
  if (!SCHEMES[kind].pattern.test(url)) throw new ConfigError(`invalid value for --${flag}`, `${JSON.stringify(url)}: expected ${SCHEMES[kind].expected}`)
  return url
}
