import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateReport } from '../../electron/engine/report/generateReport';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { HOSTILE_EXPLANATION, HOSTILE_NOTE, HOSTILE_REASON, HOSTILE_UA, fixturesForThisFile, type Fixture } from './custody-fixture';

const makeCase = fixturesForThisFile();
const fixture = (rows = 240): Promise<Fixture> => makeCase({ rows });

/**
 * Every reference to something outside the document, found in the markup itself (tags,
 * attributes, style sheets). Escaped text cannot contain a tag, so evidence that merely
 * mentions a URL or an <img> is not counted; if escaping failed, it would be.
 */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  const offPage = (url: string) => !url.startsWith('#') && !url.startsWith('data:');
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    const t = tag[0];
    if (/^<(script|link|iframe|object|embed|base|img|image|use|frame|audio|video|source|form)\b/i.test(t)) found.push(t.slice(0, 80));
    for (const m of t.matchAll(/\s(?:src|href|xlink:href|action|poster|data|srcset|background)\s*=\s*["']?([^"'\s>]+)/gi)) if (offPage(m[1]!)) found.push(m[0]);
    if (/\son[a-z]+\s*=/i.test(t)) found.push(t.slice(0, 80));
  }
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!).concat([...html.matchAll(/\sstyle="([^"]*)"/g)].map((m) => m[1]!));
  for (const css of styles) {
    if (/@import/i.test(css)) found.push('@import');
    for (const m of css.matchAll(/url\(\s*["']?([^"')]+)/gi)) if (offPage(m[1]!)) found.push(m[0]);
  }
  return found;
}

test('the report holds every source hash and every finding, and refers to nothing outside itself', async () => {
  const f = await fixture();
  const out = join(f.root, 'report.html');
  const r = await generateReport(f.session, out);
  const html = readFileSync(out, 'utf8');
  assert.equal(r.path, out);
  for (const s of f.sources) assert.ok(html.includes(s.sha256), `source hash ${s.sha256} missing`);
  for (const id of f.findingIds) assert.ok(html.includes(id), `finding ${id} missing`);
  // Findings with their explanation, review, SQL and rows.
  for (const needle of ['Password spray from 203.0.113.0/24', 'Impossible travel Lagos → Sydney', 'review: confirmed', 'matches the helpdesk ticket', 'WHERE r.finding_id = &#39;password-spray-1&#39;', 'Two sign-ins 34 minutes apart']) {
    assert.ok(html.includes(needle), `missing ${needle}`);
  }
  assert.ok(html.indexOf('Password spray') < html.indexOf('Impossible travel'), 'high severity first');
  assert.match(html, /The first 25 of 60 rows/);
  assert.deepEqual(externalReferences(html), []);
  // Figures are inline SVG: the histogram bars and the projected map with clusters.
  assert.match(html, /<svg[^>]+aria-label="Sign-ins over time, stacked by status"/);
  assert.match(html, /<svg[^>]+aria-label="World map of sign-in locations"/);
  assert.equal((html.match(/<circle /g) ?? []).length >= 4, true);
  for (const needle of ['Tagged rows and notes', 'Failures by user', 'time_bucket(INTERVAL', 'How to reproduce', 'source-imported', '@media print']) {
    assert.ok(html.includes(needle), `missing ${needle}`);
  }
  const last = (await readAuditDb(f.session)).at(-1)!;
  assert.equal(last.action, 'report-generated');
  assert.equal(JSON.parse(last.detail).sha256, r.sha256);
});

test('hostile strings from evidence and notes are escaped, never markup', async () => {
  const f = await fixture(40);
  const out = join(f.root, 'report.html');
  await generateReport(f.session, out);
  const html = readFileSync(out, 'utf8');
  for (const hostile of [HOSTILE_UA, HOSTILE_REASON, HOSTILE_NOTE, HOSTILE_EXPLANATION, '<case>', 'suspicious <tag>']) assert.ok(!html.includes(hostile), `unescaped: ${hostile}`);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('note &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;'));
  assert.ok(html.includes('Fixture &lt;case&gt; &amp; co'));
  assert.deepEqual(externalReferences(html), []);
  // The checker itself catches what it is meant to.
  for (const bad of ['<img src=x onerror=alert(1)>', '<a href="https://evil.example/">', '<style>@import "x.css"</style>', '<div style="background:url(//e.example/a.png)">', '<script>1</script>']) {
    assert.notDeepEqual(externalReferences(bad), [], bad);
  }
});

test('the same case gives the same report apart from the generation time line', async () => {
  const f = await fixture(120);
  const a = join(f.root, 'a.html');
  const b = join(f.root, 'b.html');
  await generateReport(f.session, a);
  await new Promise((r) => setTimeout(r, 5));
  await generateReport(f.session, b);
  const strip = (p: string) =>
    readFileSync(p, 'utf8')
      .split('\n')
      .filter((l) => !l.includes('class="generated"'))
      .join('\n');
  const ha = readFileSync(a, 'utf8');
  const hb = readFileSync(b, 'utf8');
  assert.notEqual(ha, hb, 'the generation time differs');
  assert.equal(strip(a), strip(b));
});

test('a case with no findings, tags or queries says so', async () => {
  const f = await fixture(20);
  await f.session.db.run('DELETE FROM finding_rows');
  await f.session.db.run('DELETE FROM findings');
  await f.session.db.run('DELETE FROM row_tags');
  await f.session.db.run('DELETE FROM row_notes');
  await f.session.db.run('DELETE FROM saved_queries');
  const out = join(f.root, 'r.html');
  await generateReport(f.session, out);
  const html = readFileSync(out, 'utf8');
  assert.ok(html.includes('No findings to list.'));
  assert.ok(html.includes('the detectors found nothing to report'));
  assert.ok(html.includes('No rows are tagged or annotated.'));
  assert.ok(html.includes('This case has no saved queries.'));
});

test('signet report --case DIR --out FILE writes the report', async () => {
  const f = await fixture(20);
  f.session.close();
  const out = join(f.root, 'cli.html');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'report', '--case', f.caseDir, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Report written to/);
  assert.ok(readFileSync(out, 'utf8').includes(f.sources[0]!.sha256));
  const s = await CaseSession.open(f.caseDir);
  assert.equal((await readAuditDb(s)).at(-1)!.action, 'report-generated');
  s.close();
  const usage = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'report', '--case', f.caseDir], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--out is required/);
});
