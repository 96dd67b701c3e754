import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { generateDataset, type Shape } from '../../electron/engine/demo/generate';
import type { GroundTruth } from '../../electron/engine/demo/truth';
import { CANONICAL_COLUMNS } from '../../electron/engine/schema/canonical';
import { recomputeFindings } from '../../electron/engine/findings/compute';
import { importInto, workDir } from '../support/fixtures/importHarness';
import { scoreFindings } from '../support/findingsFixture';

// The same generated events exported as a portal CSV download, a Graph page and a Log
// Analytics CSV (and as Event Hub records, Graph NDJSON and array, and two older portal header
// generations), each imported into its own case: every canonical column the shapes carry must
// hold the same values with the same counts, and every finding kind must fire on every shape
// for the planted incidents.

/** The three exports every column is compared across; the other shapes the generator writes follow. */
const PRIMARY: Shape[] = ['portal-csv', 'graph-json', 'la-csv'];
const SHAPES: Shape[] = [...PRIMARY, 'eventhub', 'graph-ndjson', 'graph-array', 'portal-csv-55', 'portal-csv-49'];
const ROWS = 4000;

/** Columns that describe where a row came from, not the sign-in. */
const PROVENANCE = new Set(CANONICAL_COLUMNS.filter((c) => c.group === 'provenance').map((c) => c.name));

let dir: string;
let truth: GroundTruth;
const cases = new Map<Shape, CaseSession>();

before(async () => {
  dir = workDir('cross-shape');
  truth = await generateDataset({ outDir: join(dir, 'evidence'), rows: ROWS, shapes: SHAPES, seed: 'cross' });
  for (const shape of SHAPES) {
    const session = await CaseSession.create(join(dir, `case-${shape}`), 'test');
    const files = truth.files.filter((f) => f.shape === shape).map((f) => f.path);
    const out = await importInto(session, files);
    for (const s of out) assert.deepEqual([s.rejected, s.errors], [0, []], `${s.file}`);
    session.changed();
    cases.set(shape, session);
  }
});

after(() => {
  for (const s of cases.values()) s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function distribution(session: CaseSession, column: string, logType: string): Promise<Map<string | null, number>> {
  const col = CANONICAL_COLUMNS.find((c) => c.name === column)!;
  // Whole seconds: the portal writes them, Graph and Event Hub records carry 100-ns ticks of the same instant.
  const text = col.type === 'TIMESTAMP' ? `strftime(date_trunc('second', "${column}"), '%Y-%m-%dT%H:%M:%S')` : `CAST("${column}" AS VARCHAR)`;
  const rows = await session.db.all<{ v: string | null; n: string }>(`SELECT ${text} AS v, count(*) AS n FROM signins WHERE log_type = ? GROUP BY 1`, [logType]);
  return new Map(rows.map((r) => [r.v, Number(r.n)]));
}

const LOG_TYPES = ['interactive', 'noninteractive', 'serviceprincipal', 'managedidentity'];

describe('one event, one vocabulary, in every shape', () => {
  test('each case holds one row per generated event (independent count of the files)', () => {
    // Python's csv/json modules count the records the generator wrote, per shape.
    const script = `
import csv, json, sys
csv.field_size_limit(1 << 30)
out = {}
def records(doc):
    if isinstance(doc, list):
        return len(doc)
    for key in ('value', 'records'):
        if isinstance(doc, dict) and key in doc:
            return len(doc[key])
    return 1
for shape, path in json.loads(sys.argv[1]):
    if path.endswith('.json'):
        out[shape] = out.get(shape, 0) + records(json.load(open(path, encoding='utf-8')))
    elif path.endswith('.ndjson') or path.endswith('.jsonl'):
        with open(path, encoding='utf-8') as f:
            out[shape] = out.get(shape, 0) + sum(records(json.loads(line)) for line in f if line.strip())
    else:
        with open(path, encoding='utf-8-sig', newline='') as f:
            out[shape] = out.get(shape, 0) + sum(1 for _ in csv.DictReader(f))
print(json.dumps(out))`;
    const r = spawnSync('python3', ['-c', script, JSON.stringify(truth.files.map((f) => [f.shape, f.path]))], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const counts = JSON.parse(r.stdout) as Record<string, number>;
    for (const shape of SHAPES) assert.equal(counts[shape], truth.rows, `${shape} file rows`);
  });

  test('per-column value distributions are equal across every shape the generator writes', async (t) => {
    // Per log type: the portal's application and managed-identity downloads have 22 columns,
    // so a column is compared for the log types whose rows carry it in every shape.
    const compared: string[] = [];
    const notCarried: string[] = [];
    const diffs: string[] = [];
    for (const col of CANONICAL_COLUMNS) {
      if (PROVENANCE.has(col.name)) continue;
      for (const logType of LOG_TYPES) {
        const all = await Promise.all(SHAPES.map(async (s) => [s, await distribution(cases.get(s)!, col.name, logType)] as const));
        // A shape whose rows of this log type never carry the column (an older portal
        // header, the portal's 22-column workload downloads) is left out of its comparison.
        const empty = all.filter(([, d]) => d.size === 0 || (d.size === 1 && d.has(null))).map(([s]) => s);
        const dists = all.filter(([s]) => !empty.includes(s));
        if (empty.length) notCarried.push(`${col.name}/${logType} (${empty.join(', ')})`);
        if (dists.length < 2 || PRIMARY.some((s) => empty.includes(s))) continue;
        compared.push(`${col.name}/${logType}`);
        const [firstShape, first] = dists[0]!;
        for (const [shape, d] of dists.slice(1)) {
          const diff = [...new Set([...first.keys(), ...d.keys()])].filter((k) => first.get(k) !== d.get(k)).slice(0, 4);
          if (diff.length) diffs.push(`${col.name}/${logType}: ${firstShape} vs ${shape}: ${JSON.stringify(diff.map((k) => [k, first.get(k) ?? 0, d.get(k) ?? 0]))}`);
        }
      }
    }
    assert.deepEqual(diffs, [], 'value, count in the first shape, count in the other');
    t.diagnostic(`compared ${compared.length} column/log-type pairs; ${notCarried.length} not carried by every shape`);
    for (const must of ['authentication_protocol', 'authentication_requirement', 'user_type', 'through_global_secure_access', 'incoming_token_type', 'error_code', 'status', 'conditional_access_status', 'cross_tenant_access_type']) {
      assert.ok(compared.includes(`${must}/interactive`), `${must} is compared`);
    }
  });

  test('every finding kind fires on every shape for the planted incidents, on the same rows', async (t) => {
    // The portal CSV has no risk columns and no isInteractive flag: those two kinds cannot
    // fire on it (its rows carry no evidence of them), and must not invent any.
    const cannot = (shape: Shape): string[] => (shape.startsWith('portal-csv') ? ['risky_signin', 'interactive_mismatch'] : []);
    // Portal downloads before the 54-column generation have no Session ID: session reuse
    // cannot be seen there, token-identifier reuse still can (a subset of the sign-ins).
    const partial = (shape: Shape): string[] => (shape === 'portal-csv-49' ? ['token_reuse'] : []);
    const subsets: Array<{ kind: string; shape: Shape; ids: string[] }> = [];
    const found = new Map<string, Map<Shape, string[]>>();
    for (const shape of SHAPES) {
      const session = cases.get(shape)!;
      await recomputeFindings(session);
      const scores = await scoreFindings(session, truth);
      t.diagnostic(`${shape}: ${scores.map((s) => `${s.kind} ${s.found}/${s.truth}`).join(', ')}`);
      for (const s of scores) {
        assert.ok(s.truth > 0, `${s.kind}: the generator planted rows`);
        const ids = (await session.db.all<{ request_id: string }>(
          `SELECT DISTINCT s.request_id FROM findings f JOIN finding_rows r ON r.finding_id = f.id JOIN signins s ON s.row_id = r.row_id WHERE f.kind = ? ORDER BY 1`,
          [s.kind],
        )).map((r) => r.request_id);
        if (cannot(shape).includes(s.kind)) {
          assert.equal(s.found, 0, `${shape}: ${s.kind} cannot fire without its field`);
          continue;
        }
        if (partial(shape).includes(s.kind)) {
          assert.ok(s.found > 0, `${shape}: ${s.kind} fires where its fields allow`);
          subsets.push({ kind: s.kind, shape, ids });
          continue;
        }
        assert.ok(s.recall >= 0.95, `${shape}: ${s.kind} recall ${s.recall.toFixed(3)} (${s.found} found of ${s.truth})`);
        if (!found.has(s.kind)) found.set(s.kind, new Map());
        found.get(s.kind)!.set(shape, ids);
      }
    }
    for (const { kind, shape, ids } of subsets) {
      const full = new Set(found.get(kind)?.get('portal-csv') ?? []);
      assert.deepEqual(ids.filter((id) => !full.has(id)), [], `${kind}: ${shape} flags sign-ins the full portal download does not`);
    }
    // Where a kind fires on several shapes, it fires on the same sign-ins in each.
    for (const [kind, byShape] of found) {
      const [first, ...rest] = [...byShape];
      const [firstShape, firstIds] = first!;
      for (const [shape, ids] of rest) {
        assert.deepEqual(ids, firstIds, `${kind}: ${shape} and ${firstShape} flag different sign-ins`);
      }
    }
  });
});
