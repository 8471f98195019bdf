/** The client's version, from package.json (one place for logs, web3_clientVersion, --version). */
import pkg from '../../package.json' with { type: 'json' }

export const VERSION: string = pkg.version
