/**
 * A `solc` for `forge --use` made of the solc npm package (soljson, no download): answers
 * `--version` in solc's own format, and `--standard-json` from stdin to stdout with sources read
 * from the paths forge gives (`--base-path`, `--include-path`, `--allow-paths`) when the input
 * names them without content. Run it as `bun test/foundry/solc.mjs ARGS` (the test writes a
 * two-line executable that does so).
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import solc from 'solc'

const args = process.argv.slice(2)
if (args.includes('--version')) {
  // forge reads the version from the line that starts with "Version: "
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version().replace('.Emscripten.clang', '.Linux.g++')}\n`)
  process.exit(0)
}
if (!args.includes('--standard-json')) {
  process.stderr.write('this solc takes --version or --standard-json only\n')
  process.exit(1)
}
const roots = [process.cwd()]
for (let i = 0; i < args.length; i++) if (['--base-path', '--include-path'].includes(args[i])) roots.push(args[++i])
const findImports = (path) => {
  for (const root of isAbsolute(path) ? [''] : roots) {
    try {
      return { contents: readFileSync(join(root, path), 'utf8') }
    } catch {}
  }
  return { error: `file not found: ${path}` }
}
const input = readFileSync(0, 'utf8')
process.stdout.write(solc.compile(input, { import: findImports }))
