import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { contract, type MethodName } from '../../electron/api/contract';
import { Engine } from '../../electron/engine/engine';
import { generateDataset } from '../../electron/engine/demo/generate';
import { CANONICAL_COLUMNS } from '../../electron/engine/schema/canonical';
import { csvText } from '../support/fixtures/csvText';

// Every API method over a case where every column is NULL in some rows: a portal export
// with one column blanked per row, and a Log Analytics export without any time column
// (its rows are kept with an empty time). Nothing may come back that fails its schema.

let work: string;
let engine: Engine;
const ctx = () => ({ engine, transport: 'bridge' as const });

/** Blank column (row index mod column count) in each row: every column is empty somewhere. */
function blankOneColumnPerRow(file: string): void {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const out = rows.map((r, i) => r.map((v, c) => (c === i % header!.length ? '' : v)));
  writeFileSync(file, Papa.unparse([header!, ...out], { newline: '\r\n' }));
}

const LA_HEADER = ['OperationName', 'Category', 'ResultType', 'ResultDescription', 'CorrelationId', 'AppDisplayName', 'AppId', 'Id', 'IPAddress', 'LocationDetails_string', 'UserPrincipalName', 'UserDisplayName', 'UserId', 'Status_string', 'UserAgent', 'Type'];

function laRows(n: number): Record<string, string>[] {
  return Array.from({ length: n }, (_, i) => {
    const row: Record<string, string> = {
      OperationName: 'Sign-in activity',
      Category: 'SignInLogs',
      ResultType: i % 2 ? '50126' : '0',
      ResultDescription: i % 2 ? 'Invalid username or password' : '',
      CorrelationId: `corr-la-${i}`,
      AppDisplayName: 'Azure Portal',
      AppId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      Id: `la-${i}`,
      IPAddress: `198.51.100.${i}`,
      LocationDetails_string: i % 3 === 0 ? '' : '{"city":"Oslo","countryOrRegion":"NO","geoCoordinates":{"latitude":59.91,"longitude":10.75}}',
      UserPrincipalName: i % 4 === 0 ? '' : `la${i}@contoso.example`,
      UserDisplayName: `LA ${i}`,
      UserId: `u-${i}`,
      Status_string: '{"errorCode":0}',
      UserAgent: 'Mozilla/5.0',
      Type: 'SigninLogs',
    };
    // One more column blanked per row, as in the portal file.
    row[LA_HEADER[i % LA_HEADER.length]!] = '';
    return row;
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'signet-nulls-'));
  const truth = await generateDataset({ outDir: join(work, 'evidence'), rows: 400, seed: 'nulls', shapes: ['portal-csv'] });
  for (const f of truth.files) blankOneColumnPerRow(f.path);
  const la = join(work, 'evidence', 'la-no-time.csv');
  mkdirSync(join(work, 'evidence'), { recursive: true });
  writeFileSync(la, csvText(LA_HEADER, laRows(LA_HEADER.length * 2), '\r\n', false));
  engine = new Engine({ dataDir: join(work, 'data'), appVersion: 'test', mode: 'browser' });
  const started = await dispatch(handlerTable, 'openFiles', { paths: [...truth.files.map((f) => f.path), la], caseDir: join(work, 'case') }, ctx());
  assert.ok(started.ok, JSON.stringify(started));
  const jobId = (started.result as { jobId: string }).jobId;
  for (;;) {
    const s = engine.jobs.status(jobId);
    if (s?.state !== 'running') {
      assert.equal(s?.state, 'done', JSON.stringify(s));
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => engine.close());

const failures: string[] = [];
const called = new Set<string>();

async function call(method: MethodName, args: unknown): Promise<unknown> {
  called.add(method);
  const hadCase = Boolean(engine.current);
  const r = await dispatch(handlerTable, method, args, ctx());
  if (!r.ok && (r.error.code === 'invalid_result' || r.error.code === 'engine_error')) failures.push(`${method}(${JSON.stringify(args).slice(0, 200)}): ${r.error.message}`);
  if (hadCase && !engine.current && method !== 'closeCase') process.stderr.write(`${method} closed the case\n`);
  return r.ok ? r.result : undefined;
}

async function waitJob(jobId: unknown): Promise<void> {
  if (typeof jobId !== 'string') return;
  for (let i = 0; i < 600; i++) {
    const s = (await call('jobStatus', { jobId })) as { state: string } | undefined;
    if (!s || s.state !== 'running') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the case holds NULL in every column somewhere, and rows without a time', async () => {
  const db = engine.requireCase().db;
  const row = await db.one<Record<string, string>>(`SELECT ${CANONICAL_COLUMNS.map((c) => `CAST(count(*) - count("${c.name}") AS VARCHAR) AS "${c.name}"`).join(', ')} FROM signins`);
  // Columns no portal or Log Analytics export fills are NULL everywhere; every other one in some rows.
  const full = Object.entries(row!).filter(([, n]) => Number(n) === 0).map(([c]) => c);
  assert.deepEqual(full, ['row_id', 'log_type', 'status', 'source_file', 'source_record', 'source_shape', 'source_id', 'sign_in_count'].filter((c) => full.includes(c)));
  assert.ok(Number(await db.scalar(`SELECT count(*) FROM signins WHERE time_utc IS NULL`)) > 0);
});

test('every API method, over NULLs in every column, returns results that pass their schema', { timeout: 600_000 }, async () => {
  const empty = { conditions: [] };
  const db = engine.requireCase().db;
  const dir = engine.requireCase().dir;
  const rowIds = (await db.all<{ row_id: string }>(`SELECT CAST(row_id AS VARCHAR) AS row_id FROM signins ORDER BY row_id`)).map((r) => Number(r.row_id));
  const span = await db.one<{ a: string; b: string }>(`SELECT CAST(epoch_ms(min(time_utc)) AS VARCHAR) AS a, CAST(epoch_ms(max(time_utc)) + 1 AS VARCHAR) AS b FROM signins`);
  const range = { from: Number(span!.a), to: Number(span!.b) };
  // Filters that reach the rows with NULLs in different ways.
  const filters = [
    empty,
    { conditions: [{ kind: 'text', column: 'time_utc', op: 'empty' }] },
    { conditions: [{ kind: 'text', column: 'user_principal_name', op: 'empty' }] },
    { conditions: [], search: 'ip:198.51.100.0/24' },
  ];

  await call('appInfo', {});
  await call('caseInfo', {});
  await call('recentCases', {});
  await call('liveState', {});
  await call('importProblems', {});
  await call('renameCase', { name: 'Null safety case' });
  await call('listDirectory', { path: work });
  const cols = (await call('columns', {})) as { name: string }[];
  for (const filter of filters) {
    for (const sort of [[], [{ column: 'time_utc', dir: 'asc' }], [{ column: 'ip_address', dir: 'desc' }], [{ column: 'error_code', dir: 'asc' }]]) {
      await call('getRows', { filter, sort, start: 0, end: 1000 });
      await call('viewSql', { filter, sort });
    }
    await call('countRows', { filter });
    for (const c of cols) await call('distinctValues', { column: c.name, filter, limit: 50 });
    for (const stackBy of ['status', 'log_type', 'user', 'ip', 'app', 'country']) await call('timelineHistogram', { filter, timeZone: 'Europe/Oslo', stackBy, topN: 5 });
    for (const by of ['user', 'ip', 'session']) {
      const lanes = (await call('timelineLanes', { filter, timeZone: 'UTC', by, topN: 10, maxMarksPerLane: 100 })) as { lanes: { key: string | null }[] } | undefined;
      for (const l of lanes?.lanes.slice(0, 3) ?? []) {
        if (l.key === null) continue;
        await call('timelineLaneDistinct', { filter, range, lane: { by, value: l.key } });
        await call('timelineRowIds', { filter, range, lane: { by, value: l.key } });
      }
    }
    await call('timelineRowIds', { filter, range });
    const geo = (await call('geoSummary', { filter, maxClusters: 100 })) as { clusters: { key: string }[] } | undefined;
    for (const c of geo?.clusters.slice(0, 5) ?? []) await call('geoClusterRows', { filter, key: c.key, limit: 100 });
    await call('geoTravel', { filter, all: true, limit: 100 });
    const users = (await call('geoTravelUsers', { filter, limit: 50 })) as { user: string }[] | undefined;
    for (const u of users?.slice(0, 3) ?? []) await call('geoTravel', { filter, user: u.user, limit: 100 });
  }
  for (const rowId of rowIds) {
    await call('getRecord', { rowId });
    await call('getDetail', { rowId });
    await call('listNotes', { rowId });
  }
  await call('rowPosition', { filter: empty, sort: [{ column: 'time_utc', dir: 'desc' }], rowId: rowIds[0]! });
  // Graph activity (this case has none: every call answers over an empty table).
  const graphCols = (await call('graphColumns', {})) as { name: string }[] | undefined;
  await call('graphRows', { filter: empty, sort: [], start: 0, end: 100 });
  for (const c of graphCols?.slice(0, 5) ?? []) await call('graphValues', { column: c.name, filter: empty, limit: 20 });
  await call('graphDetail', { rowId: 1 });
  await call('errorCodes', {});
  await call('exportDefaults', {});
  for (const format of ['csv', 'json']) await call('exportView', { filter: empty, sort: [], columns: cols.map((c) => c.name).filter((c) => c !== 'raw'), format, folder: join(work, 'exports') });

  // Annotations.
  const tag = (await call('createTag', { name: 'nulls', color: '#ff0000' })) as { tagId: number } | undefined;
  assert.ok(tag);
  await call('updateTag', { tagId: tag.tagId, name: 'nulls 2', color: '#00ff00' });
  await call('tagRows', { tagId: tag.tagId, target: { rowIds: rowIds.slice(0, 20) } });
  await call('untagRows', { tagId: tag.tagId, target: { rowIds: rowIds.slice(0, 5) } });
  await call('listTags', {});
  const note = (await call('addNote', { rowId: rowIds[1]!, text: 'note' })) as { noteId: number } | undefined;
  if (note) {
    await call('updateNote', { noteId: note.noteId, text: 'edited' });
    await call('deleteNote', { noteId: note.noteId });
  }
  await call('getColumnLayout', {});
  await call('setColumnLayout', { layout: { columns: [{ name: 'time_utc' }, { name: 'ip_address' }] } });
  await call('getColumnLayout', {});
  await call('deleteTag', { tagId: tag.tagId });

  // SQL console.
  const run = (await call('sqlRun', { sql: 'SELECT * FROM signins ORDER BY row_id' })) as { resultId?: string } | undefined;
  if (run?.resultId) {
    await call('sqlPage', { resultId: run.resultId, start: 0, end: 500, sort: [{ column: 'time_utc', dir: 'asc' }] });
    await call('sqlExport', { resultId: run.resultId, format: 'csv', sort: [], sql: 'SELECT * FROM signins ORDER BY row_id' });
    await call('sqlExport', { resultId: run.resultId, format: 'json', sort: [], sql: 'SELECT * FROM signins ORDER BY row_id' });
  }
  await call('sqlRun', { sql: 'SELECT NULL AS a, NULL::TIMESTAMP AS b, NULL::JSON AS c, NULL::INTEGER[] AS d' });
  await call('sqlCancel', {});
  await call('sqlSchema', { refresh: true });
  await call('sqlExamples', {});
  await call('sqlCompletion', {});
  await call('sqlHistory', { limit: 50 });
  const saved = (await call('sqlSave', { name: 'q', sql: 'SELECT 1' })) as { id: number } | undefined;
  await call('sqlSavedList', {});
  if (saved) await call('sqlDeleteSaved', { id: saved.id });

  // Findings.
  await call('recomputeFindings', {});
  await call('findingsState', {});
  await waitJob(((await call('startFindings', { force: true })) as { jobId?: string | null } | undefined)?.jobId ?? undefined);
  await call('listFindings', { stored: true });
  const findings = (await call('listFindings', {})) as { id: string }[] | undefined;
  for (const f of findings ?? []) await call('getFinding', { id: f.id });
  if (findings?.[0]) await call('reviewFinding', { id: findings[0].id, state: 'confirmed', note: '' });
  if (findings?.length) await call('reviewFindings', { ids: findings.slice(0, 3).map((f) => f.id), state: 'dismissed', note: 'bulk' });
  const sup = (await call('addSuppression', { kind: null, entity: '198.51.100.1', note: 'known egress' })) as { id: string } | undefined;
  await call('listSuppressions', {});
  await call('listFindings', {});
  if (sup) await call('removeSuppression', { id: sup.id });
  await call('findingThresholds', {});

  // IOC sweep over addresses, a block, a UPN and a line that is none of them.
  await call('runSweep', { list: '198.51.100.1\n198.51.100.0/24\nla1@contoso.example\n# comment\nnot an indicator', name: 'nulls' });
  await call('listSweeps', {});

  // Group-by over columns that are NULL in some rows (each NULL is its own group).
  for (const by of [['user_principal_name'], ['country', 'ip_address'], ['error_code'], ['app_display_name', 'status']] as const) {
    await call('groupRows', { filter: { conditions: [] }, by: [...by], sort: { key: 'failures', dir: 'desc' } });
    await call('groupRows', { filter: { conditions: [] }, by: [...by], sort: { key: 'key0', dir: 'asc' } });
  }

  // Saved views and colour rules (the grid's page then carries each row's rule).
  const view = (await call('saveView', { name: 'nulls', state: { filter: { conditions: [] }, sort: [{ column: 'time_utc', dir: 'desc' }], columns: [], timeZone: 'UTC', grouping: { columns: ['country'] } } })) as { id: string } | undefined;
  await call('listSavedViews', {});
  if (view) {
    await call('renameView', { id: view.id, name: 'nulls again' });
    await call('applyView', { id: view.id });
    await call('deleteView', { id: view.id });
  }
  const rules = (await call('addColourRule', { name: 'no country', condition: { conditions: [{ kind: 'values', column: 'country', values: ['NO'] }] }, colour: 'orange' })) as { id: string }[] | undefined;
  await call('listColourRules', {});
  const added = rules?.find((r) => !r.id.startsWith('default-'));
  if (added) {
    await call('updateColourRule', { id: added.id, enabled: false });
    await call('moveColourRule', { id: added.id, to: 0 });
    await call('getRows', { filter: { conditions: [] }, sort: [], start: 0, end: 100 });
    await call('deleteColourRule', { id: added.id });
  }

  // Custody, report and hand-off.
  await call('auditLog', { offset: 0, limit: 100 });
  await call('verifyCase', {});
  await waitJob(((await call('startVerify', {})) as { jobId?: string } | undefined)?.jobId);
  await call('generateReport', {});
  await waitJob(((await call('startReport', {})) as { jobId?: string } | undefined)?.jobId);
  await call('exportParquet', { outDir: join(work, 'parquet') });
  await call('relinkSources', { dir: join(work, 'evidence') });
  await call('openSignetExport', { path: join(work, 'nothing-here.csv') });
  await call('geoEnrich', { path: join(work, 'nothing-here.mmdb') });
  await call('geoClearEnrichment', {});

  // Settings and shell.
  await call('getSettings', {});
  await call('updateSettings', { patch: {} });
  await call('resolveOpenPaths', { paths: [join(work, 'evidence')] });
  await call('about', {});

  // Jobs, and leaving the case.
  const demo = (await call('jobStatus', { jobId: 'no-such-job' })) as unknown;
  void demo;
  await call('cancelJob', { jobId: 'no-such-job' });
  process.stderr.write(`case open before closing: ${Boolean(engine.current)}\n`);
  await call('closeCase', {});
  await call('openCase', { dir });
  await call('caseInfo', {});
  await waitJob(((await call('openFiles', { paths: [join(work, 'evidence', 'la-no-time.csv')], caseDir: join(work, 'case2') })) as { jobId?: string } | undefined)?.jobId);
  await waitJob(((await call('openDemo', { rows: 300 })) as { jobId?: string } | undefined)?.jobId);

  assert.deepEqual(failures, []);
  assert.deepEqual(Object.keys(contract).filter((m) => !called.has(m)), [], 'every method of the contract was called');
});
