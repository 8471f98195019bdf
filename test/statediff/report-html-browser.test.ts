/**
 * report.html in a real browser: a generated chain into three stores with `--report`, the page
 * opened in headless Chromium (Debian's `chromium`, or CHROMIUM=path; driven by playwright-core)
 * from the file, offline: every chart has a line with points for every store, no console error
 * or page error, and a screenshot kept beside the report (its directory is printed). Skips with
 * a message when no Chromium is installed (.ci/run installs it).
 */
import { describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const MOSAIC = join(import.meta.dir, '../../bin/mosaic')
const browser = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p))

if (!browser) {
  describe('report.html in Chromium', () => {
    test.skip('needs Chromium: apt-get install chromium, or set CHROMIUM=path', () => {})
  })
} else {
  describe('report.html in Chromium', () => {
    test('every chart rendered with data for every store, no console error; screenshot kept', async () => {
      const out = mkdtempSync(join(tmpdir(), 'mosaic-report-html-'))
      const stores = ['memory', 'sqlite', 'lmdb']
      const proc = Bun.spawn([MOSAIC, 'statesync', '--source', 'generate:blocks=60,accounts=600,slots=3000,seed=3', ...stores.flatMap((s) => ['--store', s]), '--window', '10', '--report', out], { stdout: 'pipe', stderr: 'pipe' })
      expect(await proc.exited).toBe(0)

      const b = await chromium.launch({ executablePath: browser, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
      try {
        const page = await b.newPage({ viewport: { width: 900, height: 1200 } })
        const errors: string[] = []
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
        page.on('pageerror', (e) => errors.push(e.message))
        page.on('request', (r) => !r.url().startsWith('file:') && errors.push(`network request: ${r.url()}`))
        await page.goto(`file://${join(out, 'report.html')}`)
        const charts = await page.$$eval('svg.chart', (svgs) =>
          svgs.map((svg) => ({
            id: svg.id,
            width: svg.getBoundingClientRect().width,
            series: [...svg.querySelectorAll('g.series')].map((g) => ({
              store: g.getAttribute('data-store'),
              dots: g.querySelectorAll('circle').length,
              length: (g.querySelector('polyline') as unknown as { getTotalLength(): number }).getTotalLength(),
            })),
          })),
        )
        expect(charts.map((c) => c.id)).toEqual(['apply', 'read', 'disk'])
        for (const c of charts) {
          expect(c.width).toBeGreaterThan(100)
          expect(c.series.map((s) => s.store)).toEqual(stores)
          for (const s of c.series) {
            expect(s.dots).toBeGreaterThanOrEqual(6) // a point per window of 10 blocks
            expect(s.length).toBeGreaterThan(0)
          }
        }
        const shot = join(out, 'report.png')
        await page.screenshot({ path: shot, fullPage: true })
        expect(statSync(shot).size).toBeGreaterThan(10_000)
        expect(errors).toEqual([])
        console.log(`report.html and its screenshot: ${out}`)
      } finally {
        await b.close()
      }
    }, 90_000)
  })
}
