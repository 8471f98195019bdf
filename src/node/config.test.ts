import { expect, test } from 'bun:test'
import { ConfigError, envName, optionsHelp, parseConfig, type OptionSpec } from './config.ts'

const specs: OptionSpec[] = [
  { flag: 'config', type: 'string', section: 'node', key: 'config', help: 'file' },
  { flag: 'http.port', type: 'int', section: 'rpc', key: 'port', default: 8545, min: 0, max: 65535, help: 'port' },
  { flag: 'http.api', type: 'list', section: 'rpc', key: 'api', help: 'apis' },
  { flag: 'ws', type: 'bool', section: 'rpc', key: 'ws', default: false, help: 'ws' },
  { flag: 'block-time', aliases: ['dev.period'], type: 'int', section: 'miner', key: 'blockTime', min: 0, help: 'seconds' },
  { flag: 'log.format', type: 'string', section: 'node', key: 'fmt', choices: ['text', 'json'], help: 'format' },
  { flag: 'rpc.gascap', type: 'bigint', section: 'rpc', key: 'gasCap', help: 'gas' },
]

test('defaults, then TOML, then environment, then flags', () => {
  const toml = '[http]\nport = 1000\napi = ["eth", "net"]\n[rpc]\ngascap = 7\n'
  const r = parseConfig(specs, { argv: ['--config', 'x.toml', '--ws', '--dev.period=3'], env: { MOSAIC_HTTP_PORT: '2000' }, readFile: () => toml })
  expect(r.sections.rpc).toEqual({ port: 2000, api: ['eth', 'net'], ws: true, gasCap: 7n })
  expect(r.sections.miner).toEqual({ blockTime: 3 })
  expect(parseConfig(specs, { argv: ['--http.port', '3000'], env: { MOSAIC_HTTP_PORT: '2000' } }).sections.rpc!.port).toBe(3000)
  expect(parseConfig(specs, { argv: [] }).sections.rpc).toEqual({ port: 8545, ws: false })
  expect(parseConfig(specs, { argv: ['--http.api', 'eth, debug'] }).sections.rpc!.api).toEqual(['eth', 'debug'])
  // a list flag given again adds to it
  expect(parseConfig(specs, { argv: ['--http.api', 'eth', '--http.api=net,web3'] }).sections.rpc!.api).toEqual(['eth', 'net', 'web3'])
  expect(parseConfig(specs, { argv: ['--ws', 'false'] }).sections.rpc!.ws).toBe(false)
  expect(envName('http.corsdomain')).toBe('MOSAIC_HTTP_CORSDOMAIN')
})

test('bad input is a ConfigError naming the option', () => {
  const bad = (argv: string[], env: Record<string, string> = {}, file = '') => () => parseConfig(specs, { argv, env, readFile: () => file })
  expect(bad(['--nope'])).toThrow(/unknown flag --nope/)
  expect(bad(['--http.port', 'abc'])).toThrow(/--http.port/)
  expect(bad(['--http.port', '70000'])).toThrow(/at most 65535/)
  expect(bad(['--http.port'])).toThrow(/needs a value/)
  expect(bad(['--log.format', 'xml'])).toThrow(/text, json/)
  expect(bad(['--rpc.gascap', '-1'])).toThrow(ConfigError)
  expect(bad([], { MOSAIC_HTTP_PORT: 'x' })).toThrow(/MOSAIC_HTTP_PORT/)
  expect(bad(['--config', 'c.toml'], {}, 'http = [')).toThrow(/cannot read config file/)
  expect(bad(['--config', 'c.toml'], {}, 'bogus = 1')).toThrow(/unknown option bogus/)
})

test('help lists every flag with its default', () => {
  const h = optionsHelp(specs)
  expect(h).toContain('--http.port VALUE')
  expect(h).toContain('(default: 8545)')
  expect(h).toContain('--block-time, --dev.period')
})

test('a flag with a bare value takes the next argument only when it is not a flag', () => {
  const prune: OptionSpec[] = [...specs, { flag: 'prune-history', type: 'int', section: 'chain', key: 'keep', min: 0, bare: 0, help: 'states' }]
  expect(parseConfig(prune, { argv: ['--prune-history'] }).sections.chain).toEqual({ keep: 0 })
  expect(parseConfig(prune, { argv: ['--prune-history', '--ws'] }).sections).toMatchObject({ chain: { keep: 0 }, rpc: { ws: true } })
  expect(parseConfig(prune, { argv: ['--prune-history', '2'] }).sections.chain).toEqual({ keep: 2 })
  expect(() => parseConfig(prune, { argv: ['--prune-history', 'x'] })).toThrow(/invalid value for --prune-history/)
})
