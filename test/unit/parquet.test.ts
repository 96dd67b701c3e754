import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { exportParquet, EXPORT_MANIFEST, type ExportManifest } from '../../electron/engine/parquet/exportParquet';
import { importParquetCase } from '../../electron/engine/parquet/importSignetCase';
import { caseTables, relationChecksum, tableColumns } from '../../electron/engine/parquet/tableChecksum';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { verifyCase } from '../../electron/engine/custody/verifyCase';
import { fixturesForThisFile, type Fixture } from './custody-fixture';

const sessions: CaseSession[] = [];
after(() => {
  for (const s of sessions) {
    try {
      s.close();
    } catch {
      // closed
    }
  }
});

const fixture = fixturesForThisFile({ rows: 300 });

async function checksums(s: CaseSession, tables: string[]): Promise<Record<string, { rows: number; checksum: string }>> {
  const out: Record<string, { rows: number; checksum: string }> = {};
  for (const t of tables) out[t] = await relationChecksum(s.db, `"${t}"`, await tableColumns(s.db, t));
  return out;
}

test('Parquet written by Signet re-opens with identical row counts and content checksums', async () => {
  const f = await fixture();
  const out = join(f.root, 'handoff');
  const m = await exportParquet(f.session, out);
  const signins = m.tables.find((t) => t.name === 'signins')!;
  assert.equal(signins.rows, 300);
  assert.equal(signins.partitionedBy, 'day');
  // 300 rows, 17 minutes apart from 2026-03-01: three UTC days, Hive layout.
  assert.deepEqual(readdirSync(join(out, 'signins')).sort(), ['day=2026-03-01', 'day=2026-03-02', 'day=2026-03-03', 'day=2026-03-04']);
  assert.ok(existsSync(join(out, 'manifest.json')));
  const onDisk = JSON.parse(readFileSync(join(out, EXPORT_MANIFEST), 'utf8')) as ExportManifest;
  assert.equal(onDisk.case.sources[0]!.sha256, f.sources[0]!.sha256);

  const tables = m.tables.map((t) => t.name).filter((t) => t !== 'audit_log');
  const before = await checksums(f.session, tables);
  for (const t of m.tables) if (t.name !== 'audit_log') assert.deepEqual({ rows: t.rows, checksum: t.checksum }, before[t.name]);

  const target = await CaseSession.create(join(f.root, 'reopened'), 'test');
  sessions.push(target);
  const imp = await importParquetCase(target, out);
  assert.equal(imp.kind, 'parquet');
  const after_ = await checksums(target, tables);
  assert.deepEqual(after_, before);
  // The original chain is kept beside this case's own.
  assert.deepEqual(
    await relationChecksum(target.db, 'source_audit_log', await tableColumns(target.db, 'source_audit_log')),
    { rows: m.tables.find((t) => t.name === 'audit_log')!.rows, checksum: m.tables.find((t) => t.name === 'audit_log')!.checksum },
  );
  assert.ok((await caseTables(target.db)).includes('source_audit_log'));
  // The hand-off is a source of the new case: hashed, audited, verifiable.
  assert.equal(target.manifest.sources[0]!.shape, 'signet-parquet');
  assert.equal(target.manifest.sources[0]!.sha256, imp.sha256);
  const log = await readAuditDb(target);
  assert.deepEqual(log.map((e) => e.action), ['case-created', 'source-imported']);
  const v = await verifyCase(target);
  assert.deepEqual(v.problems, []);
  // Spot-check one row survives with its types (timestamp, double, JSON).
  const row = await target.db.one(`SELECT strftime(time_utc, '%Y-%m-%d %H:%M') AS t, latitude, raw::VARCHAR AS raw FROM signins WHERE row_id = 5`);
  assert.deepEqual(row, { t: '2026-03-01 01:25', latitude: 6.45, raw: '{"id":5}' });
});

test('a Signet .duckdb opens as a source with identical checksums', async () => {
  const f = await fixture();
  const tables = (await caseTables(f.session.db)).filter((t) => t !== 'audit_log');
  const before = await checksums(f.session, tables);
  f.session.close();
  const target = await CaseSession.create(join(f.root, 'from-duckdb'), 'test');
  sessions.push(target);
  const imp = await importParquetCase(target, join(f.caseDir, 'case.duckdb'));
  assert.equal(imp.kind, 'duckdb');
  assert.deepEqual(await checksums(target, tables), before);
});

test('a tampered export is refused naming the file, and nothing is imported', async () => {
  const f = await fixture();
  const out = join(f.root, 'handoff');
  await exportParquet(f.session, out);
  const day = join(out, 'signins', 'day=2026-03-02');
  const file = join(day, readdirSync(day)[0]!);
  appendFileSync(file, Buffer.from([0]));
  const target = await CaseSession.create(join(f.root, 'target'), 'test');
  sessions.push(target);
  await assert.rejects(importParquetCase(target, out), /signins\/day=2026-03-02\/.*has changed since export/);
  assert.equal(Number(await target.db.scalar('SELECT count(*) FROM signins')), 0);
  assert.equal(target.manifest.sources.length, 0);
});

test('export refuses a non-empty folder; import refuses a case that already has rows', async () => {
  const f = await fixture();
  await assert.rejects(exportParquet(f.session, f.evidenceDir), /holds evidence/);
  const out = join(f.root, 'handoff');
  await exportParquet(f.session, out);
  await assert.rejects(importParquetCase(f.session, out), /opens into a new, empty case/);
  await assert.rejects(importParquetCase(f.session, f.evidenceDir), /neither a Signet Parquet export/);
});

test('signet export-parquet --case DIR --out DIR', async () => {
  const f = await fixture();
  f.session.close();
  const out = join(f.root, 'cli-out');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/signet.ts', 'export-parquet', '--case', f.caseDir, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /signins\s+300 rows/);
  const m = JSON.parse(readFileSync(join(out, EXPORT_MANIFEST), 'utf8')) as ExportManifest;
  assert.equal(m.tables.find((t) => t.name === 'signins')!.rows, 300);
  const s = await CaseSession.open(f.caseDir);
  sessions.push(s);
  assert.equal((await readAuditDb(s)).at(-1)!.action, 'export-parquet');
});

test('API: openSignetExport opens a hand-off as a new case; auditLog pages the chain', async () => {
  const { Engine } = await import('../../electron/engine/engine');
  const { dispatch } = await import('../../electron/api/dispatch');
  const { handlerTable } = await import('../../electron/api/handlerTable');
  const f = await fixture();
  const out = join(f.root, 'handoff');
  await exportParquet(f.session, out);
  const engine = new Engine({ dataDir: join(f.root, 'appdata'), appVersion: 'test', mode: 'browser' });
  try {
    const ctx = { engine, transport: 'bridge' as const };
    const opened = await dispatch(handlerTable, 'openSignetExport', { path: out }, ctx);
    assert.equal(opened.ok, true, JSON.stringify(opened));
    const info = opened.ok ? (opened.result as { rowCount: number; sources: { shape: string }[] }) : null;
    assert.equal(info?.rowCount, 300);
    assert.equal(info?.sources[0]?.shape, 'signet-parquet');
    const page = await dispatch(handlerTable, 'auditLog', { offset: 1, limit: 1 }, ctx);
    assert.ok(page.ok);
    const r = page.ok ? (page.result as { total: number; entries: { seq: number; action: string }[] }) : null;
    assert.equal(r?.total, 2);
    assert.deepEqual(r?.entries.map((e) => [e.seq, e.action]), [[2, 'source-imported']]);
    const bad = await dispatch(handlerTable, 'openSignetExport', { path: f.evidenceDir }, ctx);
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error.message : '', /neither a Signet Parquet export/);
    assert.equal(engine.current, null, 'a failed hand-off leaves no half-made case open');
  } finally {
    engine.close();
  }
});
