import { describe, expect, test } from 'bun:test'
import { svgChart } from './report-html.ts'

describe('report.html charts', () => {
  test('a chart draws a line with a dot per point for each series, and a legend', () => {
    const svg = svgChart({ id: 'apply', title: 'Apply', unit: 'ms', series: [{ name: 'memory', points: [[100, 0.5], [200, 1]] }, { name: 'a<b', points: [[100, 3]] }] })
    expect(svg).toContain('<svg class="chart" id="apply"')
    expect(svg).toContain('data-store="memory" data-points="2"')
    expect(svg).toContain('data-store="a&#60;b" data-points="1"')
    expect(svg.match(/<circle /g)?.length).toBe(3)
    expect(svg).toContain('state size (accounts + slots)')
  })

  test('no data: axes still drawn, no NaN', () => {
    const svg = svgChart({ id: 'disk', title: 'Disk', unit: 'MiB', series: [{ name: 'memory', points: [[0, 0]] }] })
    expect(svg).not.toContain('NaN')
    expect(svg).not.toContain('Infinity')
  })
})
