import { expect, test } from 'bun:test'
import { defineComponent, silentLogger, type ConfigureContext } from '../node/index.ts'
import { configureProfile } from './configure.ts'
import { profiles } from './index.ts'
import { chooseProfile } from './run.ts'

test('each component configures itself from the sections, with the profile defaults underneath', () => {
  let seen: ConfigureContext | undefined
  const typed = defineComponent({
    provides: 'typed',
    requires: [],
    description: 'x',
    configure: (s, ctx) => {
      seen = ctx
      return { port: (s.typed?.port as number | undefined) ?? 1, apis: s.typed?.apis as string[] }
    },
    create: (_deps, c) => ({ service: c.port }),
  })
  const plain = defineComponent({ provides: 'plain', requires: [], description: 'x', create: () => ({ service: 0 }) })
  const out = configureProfile([typed, plain], { typed: { port: 9 }, plain: { a: 1 } }, { defaults: { chain: 'dev', sections: { typed: { port: 2, apis: ['eth'] } } } }, silentLogger).config
  expect(out.typed).toEqual({ port: 9, apis: ['eth'] })
  expect(out.plain!.a).toBe(1)
  expect(out.plain!.log).toBeDefined()
  expect(seen!.spec().name).toBe('dev')
  expect(seen!.spec()).toBe(seen!.spec()) // resolved once
  expect(seen!.genesis().number).toBe(0n)
})

test('a shorthand brings the flags it stands for', () => {
  expect(chooseProfile(['--mainnet', '--verbosity', '4'], profiles, 'execution')).toMatchObject({ profile: { name: 'node' }, rest: ['--chain', 'mainnet', '--verbosity', '4'] })
  expect(chooseProfile(['--txpool-only'], profiles, 'execution').rest).toEqual([])
})

test('the execution profile runs the dev miner on the dev chain, the Engine API otherwise', () => {
  const { when } = profiles.execution!
  const ctx = (name: string) => ({ spec: () => ({ name }) }) as unknown as ConfigureContext
  const mode = (s: Record<string, Record<string, unknown>>, chain: string) => ({ miner: when!.miner!(s, ctx(chain)), engine: when!.engine!(s, ctx(chain)) })
  expect(mode({}, 'dev')).toEqual({ miner: true, engine: false })
  expect(mode({}, 'custom')).toEqual({ miner: false, engine: true })
  expect(mode({}, 'mainnet')).toEqual({ miner: false, engine: true })
  expect(mode({ engine: { port: 0 } }, 'dev')).toEqual({ miner: false, engine: true })
  expect(mode({ engine: { jwtSecret: '/x' } }, 'dev')).toEqual({ miner: false, engine: true })
  expect(mode({ engine: { devEngine: true } }, 'dev')).toEqual({ miner: false, engine: true })
})

test('a component the profile leaves out is neither run nor configured', () => {
  let configured = 0
  const c = (provides: string) => defineComponent({ provides, requires: [], description: 'x', configure: () => (configured++, {}), create: () => ({ service: 0 }) })
  const out = configureProfile([c('a'), c('b')], {}, { defaults: { chain: 'dev' }, when: { b: (s) => s.x?.on === true } }, silentLogger)
  expect(out.components.map((x) => x.provides)).toEqual(['a'])
  expect(Object.keys(out.config)).toEqual(['a'])
  expect(configured).toBe(1)
  expect(configureProfile([c('a'), c('b')], { x: { on: true } }, { defaults: { chain: 'dev' }, when: { b: (s) => s.x?.on === true } }, silentLogger).components).toHaveLength(2)
})
