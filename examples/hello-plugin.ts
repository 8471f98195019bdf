/**
 * An example plugin: adds the RPC method `hello_world`, which greets and reports the head.
 *
 *   bin/mosaic --profile execution --plugin examples/hello-plugin.ts
 *   curl -s localhost:8545 -H 'content-type: application/json' \
 *     -d '{"jsonrpc":"2.0","id":1,"method":"hello_world","params":["you"]}'
 *
 * A plugin is a plain object; `definePlugin` only types it.
 */
import type { Blockchain } from '../src/blockchain/index.ts'
import { definePlugin } from '../src/profiles/plugins.ts'

export default definePlugin({
  name: 'hello',
  rpc: {
    hello_world: (params, services) => {
      const who = typeof params[0] === 'string' ? params[0] : 'world'
      const chain = services.chain as Blockchain
      return { greeting: `hello, ${who}`, head: `0x${chain.head().number.toString(16)}` }
    },
  },
})
