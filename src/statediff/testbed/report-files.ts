/** The report's three files, written whole and synchronously before the command returns. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { reportHtml } from './report-html.ts'
import { reportMarkdown, type Report } from './report.ts'

/** Writes report.json, report.md and report.html into `dir` (created). */
export function writeReport(dir: string, j: Report): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(j, null, 2)}\n`)
  writeFileSync(join(dir, 'report.md'), reportMarkdown(j))
  writeFileSync(join(dir, 'report.html'), reportHtml(j))
}
