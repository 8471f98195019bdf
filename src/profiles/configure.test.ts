import { expect, test } from 'bun:test'
import { defineComponent, silentLogger, type ConfigureContext } from '../node/index.ts'
import { configureComponents } from './configure.ts'
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
  const out = configureComponents([typed, plain], { typed: { port: 9 }, plain: { a: 1 } }, { chain: 'dev', sections: { typed: { port: 2, apis: ['eth'] } } }, silentLogger)
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
