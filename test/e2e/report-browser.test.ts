/**
 * report.html in a real browser (Debian's chromium, headless, driven by puppeteer-core; no
 * browser download): every chart rendered as SVG with marks, no console error, no request but
 * the file itself. Screenshots go to the test's temp folder. `.ci/run` installs chromium; where
 * it is missing the test registers as skipped and says why.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { runCli, tempDir, testWhen, writeSuite, writeTinyModel } from '../helpers.js';

const CHROMIUM = process.env.INFERGATE_CHROMIUM ?? '/usr/bin/chromium';
const browserTest = testWhen(existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install chromium, or set INFERGATE_CHROMIUM; CI installs it and runs this)`);

const dir = tempDir('infergate-browser-');
writeTinyModel(dir);
const FAST = 'measure: { warmup: { duration: 0, iterations: 1 }, minDuration: 200ms, minIterations: 20, maxDuration: 5s }\n';

interface PageReport {
  charts: { id: string; marks: number; width: number; height: number }[];
  errors: string[];
  external: string[];
  loadMs: number;
  bytes: number;
}

async function openInBrowser(file: string, screenshot: string): Promise<PageReport> {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${mkdtempSync(join(dir, 'profile-'))}`],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const external: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (r.url() !== url) external.push(r.url());
    });
    await page.setViewport({ width: 1400, height: 900 });
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    const loadMs = performance.now() - t0;
    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.id,
          marks: svg ? svg.querySelectorAll('g.role-mark > path, g.role-mark > line, g.role-mark > rect').length : 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
    return { charts, errors, external, loadMs, bytes: statSync(file).size };
  } finally {
    await browser.close();
  }
}

function assertRendered(name: string, r: PageReport, expectIds: RegExp[]): void {
  assert.ok(r.charts.length > 0, `${name}: no chart`);
  for (const c of r.charts) {
    assert.ok(c.marks > 0, `${name}: chart ${c.id} has no marks`);
    assert.ok(c.width > 50 && c.height > 50, `${name}: chart ${c.id} is ${c.width}x${c.height}`);
  }
  for (const re of expectIds) assert.ok(r.charts.some((c) => re.test(c.id)), `${name}: no chart matching ${re}`);
  assert.equal(r.errors, [], `${name}: console errors`);
  assert.equal(r.external, [], `${name}: requests other than the file itself`);
  console.log(`  ${name}: ${r.charts.length} charts rendered, ${r.bytes} bytes, loaded in ${r.loadMs.toFixed(0)} ms`);
}

browserTest('report.html and comparison.html render every chart in Chromium, offline, without errors', async () => {
  const suite = writeSuite(dir, 'tiny.yaml', `name: tiny\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\nbatch: [1, 2]\nthreads: [1, 2]\n${FAST}`);
  const run = join(dir, 'run');
  const r = runCli(['run', suite, '--out', run, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const baseline = join(dir, 'baseline.json');
  // --accept-noisy: this checks the charts, not baseline hygiene (a shared machine is noisy).
  assert.is(runCli(['baseline', 'update', run, '--to', baseline, '--accept-noisy']).code, 0);
  const c = runCli(['compare', run, '--baseline', baseline]);
  assert.ok(c.code === 0 || c.code === 1, c.stderr);

  const report = await openInBrowser(join(run, 'report.html'), join(dir, 'report.png'));
  assertRendered('report.html', report, [/^latency-/, /^qps-threads$/, /^qps-batch$/]);
  assert.is(report.charts.filter((x) => x.id.startsWith('latency-')).length, 4, 'a latency distribution per case');
  const comparison = await openInBrowser(join(run, 'comparison.html'), join(dir, 'comparison.png'));
  assertRendered('comparison.html', comparison, [/^gate-performance$/]);
  assert.ok(statSync(join(dir, 'report.png')).size > 10_000, 'a screenshot with content');
  assert.match(readFileSync(join(run, 'comparison.html'), 'utf8'), /class="verdict v-/);
  console.log(`  screenshots: ${join(dir, 'report.png')}, ${join(dir, 'comparison.png')}`);
});

test.run();
