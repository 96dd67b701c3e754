import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Papa from 'papaparse';
import { generateDataset, GROUND_TRUTH_FILE } from '../../electron/engine/demo/generate';
import { PORTAL_SP_HEADER, PORTAL_USER_HEADER_57, portalUserHeader } from '../../electron/engine/demo/writers/portalCsv';
import { FINDING_KINDS } from '../../electron/engine/demo/event';
import { uniqueTokenIdentifier } from '../../electron/engine/demo/random';

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const ALL_SHAPES = ['portal-csv', 'portal-csv-55', 'portal-csv-54', 'portal-csv-49', 'graph-json', 'graph-array', 'graph-ndjson', 'eventhub'] as const;

test('same seed gives byte-identical files in every shape; another seed does not', async () => {
  const a = mkdtempSync(join(tmpdir(), 'signet-gen-a-'));
  const b = mkdtempSync(join(tmpdir(), 'signet-gen-b-'));
  const c = mkdtempSync(join(tmpdir(), 'signet-gen-c-'));
  await generateDataset({ outDir: a, rows: 2500, seed: 's1', shapes: [...ALL_SHAPES] });
  await generateDataset({ outDir: b, rows: 2500, seed: 's1', shapes: [...ALL_SHAPES] });
  await generateDataset({ outDir: c, rows: 2500, seed: 's2', shapes: [...ALL_SHAPES] });
  const ha = hashTree(a);
  assert.ok(Object.keys(ha).length >= 20, `expected all shape files, got ${Object.keys(ha).join(', ')}`);
  assert.deepEqual(hashTree(b), ha);
  assert.notEqual(hashTree(c)[GROUND_TRUTH_FILE], ha[GROUND_TRUTH_FILE]);
});

test('portal CSV headers are exactly the portal generations, every name quoted', async () => {
  assert.equal(PORTAL_USER_HEADER_57.length, 57);
  assert.equal(portalUserHeader(55).length, 55);
  assert.equal(portalUserHeader(54).length, 54);
  assert.equal(portalUserHeader(49).length, 49);
  assert.equal(PORTAL_SP_HEADER.length, 22);
  assert.equal(PORTAL_USER_HEADER_57.filter((h) => h === 'Incoming token type').length, 2);
  assert.ok(PORTAL_USER_HEADER_57.includes('Application ID ') && PORTAL_USER_HEADER_57.includes('Resource ID '));
  assert.ok(PORTAL_USER_HEADER_57.includes('Autonomous system  number'));
  assert.ok(!portalUserHeader(54).includes('Session ID') && portalUserHeader(55).includes('Session ID'));
  const dir = mkdtempSync(join(tmpdir(), 'signet-gen-h-'));
  const truth = await generateDataset({ outDir: dir, rows: 4000, shapes: ['portal-csv'] });
  const interactive = truth.files.find((f) => f.path.includes('InteractiveSignIns_') && !f.path.includes('Non'))!;
  const text = readFileSync(interactive.path, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\r\n'));
  assert.equal(firstLine, PORTAL_USER_HEADER_57.map((h) => `"${h}"`).join(','));
  assert.equal(text.charCodeAt(0), 0x22, 'no BOM');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  assert.equal(parsed.errors.length, 0);
  assert.equal(parsed.data.length - 1, interactive.rows);
  for (const row of parsed.data) assert.equal(row.length, 57);
  const rows = parsed.data.slice(1);
  const col = (name: string) => PORTAL_USER_HEADER_57.indexOf(name);
  // Dates are ISO with Z, statuses are the portal's words, locations "City, State, CC".
  for (const r of rows) {
    assert.match(r[col('Date (UTC)')]!, /^2026-10-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(['Success', 'Failure', 'Interrupted'].includes(r[col('Status')]!));
    assert.match(r[col('Location')]!, /^[^,]*, [^,]*, [A-Z]{2}$/);
  }
  // Hostile text survives as data: formula, HTML, embedded newline with quotes and commas.
  const agents = rows.map((r) => r[col('User agent')]);
  assert.ok(agents.includes('=HYPERLINK("http://x","click")'));
  assert.ok(agents.includes('<img src=x onerror=alert(1)>'));
  assert.ok(agents.includes('BadAgent/1.0 "quoted", with commas,\nand a second line'));
  const nonInteractive = Papa.parse<string[]>(readFileSync(truth.files.find((f) => f.path.includes('NonInteractiveSignIns_'))!.path, 'utf8'), { skipEmptyLines: true });
  const names = new Set([...rows, ...nonInteractive.data.slice(1)].map((r) => r[col('User')]));
  for (const n of ['Zoë Müller', 'José Núñez', 'Łukasz Kowalski', '渡辺 健']) assert.ok(names.has(n), `missing ${n}`);
  // Time order and whole seconds, so every shape carries the same instants.
  const sp = Papa.parse<string[]>(readFileSync(truth.files.find((f) => f.path.includes('ApplicationSignIns_'))!.path, 'utf8'), { skipEmptyLines: true });
  assert.deepEqual(sp.data[0], [...PORTAL_SP_HEADER]);
});

test('Graph page, bare array, NDJSON and Event Hub carry the same sign-ins with nested objects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-gen-j-'));
  const truth = await generateDataset({ outDir: dir, rows: 1200, shapes: ['graph-json', 'graph-array', 'graph-ndjson', 'eventhub'] });
  const file = (shape: string) => truth.files.find((f) => f.shape === shape)!.path;
  const page = JSON.parse(readFileSync(file('graph-json'), 'utf8')) as { '@odata.context': string; value: Record<string, unknown>[] };
  assert.match(page['@odata.context'], /auditLogs\/signIns/);
  const array = JSON.parse(readFileSync(file('graph-array'), 'utf8')) as Record<string, unknown>[];
  const nd = readFileSync(file('graph-ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const eh = readFileSync(file('eventhub'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { category: string; time: string; properties: Record<string, unknown> });
  assert.equal(page.value.length, truth.rows);
  assert.deepEqual(array, page.value);
  assert.deepEqual(nd, page.value);
  assert.equal(eh.length, truth.rows);
  const ids = page.value.map((v) => v.id);
  assert.deepEqual(eh.map((r) => r.properties.id), ids);
  assert.equal(new Set(ids).size, ids.length, 'request ids are unique');
  const categories = new Set(eh.map((r) => r.category));
  for (const c of ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs']) assert.ok(categories.has(c), c);
  const first = page.value.find((v) => (v.signInEventTypes as string[])[0] === 'interactiveUser')!;
  const loc = first.location as { geoCoordinates: { latitude: number } };
  assert.equal(typeof loc.geoCoordinates.latitude, 'number');
  assert.ok(typeof (first.status as { errorCode: number }).errorCode === 'number');
  assert.ok(Array.isArray(first.appliedConditionalAccessPolicies) && Array.isArray(first.authenticationDetails));
  assert.match(String(eh[0]!.properties.createdDateTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$/);
  // The unique token identifier is the request id's bytes in .NET order, base64url.
  assert.equal(uniqueTokenIdentifier('56b9bd55-36cc-4180-b997-270fa6e61a00'), 'Vb25Vsw2gEG5lycPpuYaAA');
  const withUti = page.value.filter((v) => v.uniqueTokenIdentifier === uniqueTokenIdentifier(String(v.id)));
  assert.ok(withUti.length >= page.value.length - 2, 'all but the replayed token carry their own identifier');
});

test('ground truth names rows for every finding kind and they exist in the files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-gen-t-'));
  const truth = await generateDataset({ outDir: dir, rows: 6000, shapes: ['graph-ndjson'] });
  const ids = new Set(readFileSync(truth.files[0]!.path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
  for (const kind of FINDING_KINDS) {
    const k = truth.kinds[kind];
    assert.ok(k.request_ids.length > 0, `${kind} has planted rows`);
    for (const id of k.request_ids) assert.ok(ids.has(id), `${kind} row ${id} is in the file`);
  }
  assert.ok(truth.kinds.password_spray.users.length >= 20);
  assert.equal(truth.kinds.brute_force.users.length, 2);
  for (const n of ['traveller', 'shared_nat', 'mistype', 'vpn', 'country_centroid'] as const) assert.ok(truth.noise[n].count > 0, `noise ${n}`);
  // Travellers' rows never count as impossible travel.
  const travel = new Set(truth.kinds.impossible_travel.request_ids);
  assert.ok(truth.noise.traveller.request_ids.every((id) => !travel.has(id)));
  const stored = JSON.parse(readFileSync(join(dir, GROUND_TRUTH_FILE), 'utf8')) as { files: { path: string }[] };
  assert.ok(stored.files.every((f) => !f.path.startsWith('/')));
});

test('the row count is exact and incidents can be left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-gen-n-'));
  const truth = await generateDataset({ outDir: dir, rows: 777, shapes: ['graph-ndjson'], incidents: false });
  assert.equal(truth.rows, 777);
  assert.equal(readFileSync(truth.files[0]!.path, 'utf8').trim().split('\n').length, 777);
  assert.equal(truth.kinds.password_spray.request_ids.length, 0);
});
