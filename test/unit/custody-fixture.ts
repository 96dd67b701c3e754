// A small case built directly from canonical rows (no importer needed): two evidence
// files with their real hashes in the manifest, sign-ins with places and hostile
// strings, a tag, a note, a saved query and a finding.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import type { ManifestSource } from '../../electron/engine/case/manifest';
import { appendAudit } from '../../electron/engine/custody/audit';
import { CONTENT_TABLES } from '../../electron/engine/custody/contentTables';
import { defaultThresholds } from '../../electron/engine/findings/thresholds';

export const HOSTILE_UA = '<script>alert(1)</script>';
export const HOSTILE_REASON = '<img src=x onerror=alert(1)>';
export const HOSTILE_EXPLANATION = 'Many failures <svg onload=alert(1)> from one range';
export const HOSTILE_NOTE = 'note "quoted" & <b>bold</b> <a href="https://evil.example/">x</a>';

export interface Fixture {
  root: string;
  caseDir: string;
  evidenceDir: string;
  session: CaseSession;
  sources: { path: string; sha256: string }[];
  rows: number;
  findingIds: string[];
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const PLACES = [
  { city: 'Amsterdam', country: 'NL', lat: 52.37, lon: 4.89 },
  { city: 'Lagos', country: 'NG', lat: 6.45, lon: 3.39 },
  { city: 'Seattle', country: 'US', lat: 47.61, lon: -122.33 },
  { city: 'Sydney', country: 'AU', lat: -33.87, lon: 151.21 },
];

export async function makeFixture(opts: { rows?: number } = {}): Promise<Fixture> {
  const rows = opts.rows ?? 240;
  const root = mkdtempSync(join(tmpdir(), 'signet-custody-'));
  const evidenceDir = join(root, 'evidence');
  mkdirSync(join(evidenceDir, 'sub'), { recursive: true });
  const files = [
    { name: 'InteractiveSignIns.csv', rel: 'InteractiveSignIns.csv', text: 'Date (UTC),Request ID\n2026-03-01T00:00:00Z,a\n' },
    { name: 'signins.json', rel: 'sub/signins.json', text: '{"value":[{"id":"b"}]}\n' },
  ];
  const sources: ManifestSource[] = files.map((f, i) => {
    const path = join(evidenceDir, f.rel);
    writeFileSync(path, f.text);
    return {
      id: i + 1,
      path,
      name: f.name,
      sha256: sha256(f.text),
      bytes: Buffer.byteLength(f.text),
      mtimeMs: 0,
      shape: i === 0 ? 'portal-csv' : 'graph-json',
      logType: 'interactive',
      read: rows / 2,
      imported: rows / 2,
      duplicates: 0,
      rejected: 0,
      errors: [],
      importedAt: '2026-03-02T10:00:00.000Z',
    };
  });
  const caseDir = join(root, 'case');
  const session = await CaseSession.create(caseDir, 'test', 'Fixture <case> & co');
  session.manifest.sources = sources;
  await session.saveManifest();
  for (const s of sources) await appendAudit(session, { action: 'source-imported', detail: { sourceId: s.id, name: s.name, path: s.path, sha256: s.sha256, bytes: s.bytes } });

  const placeSql = PLACES.map((p, i) => `(${i}, '${p.city}', '${p.country}', ${p.lat}, ${p.lon})`).join(', ');
  await session.db.run(
    `INSERT INTO signins (row_id, time_utc, log_type, request_id, user_principal_name, ip_address, city, country, latitude, longitude,
                          app_display_name, status, error_code, failure_reason, user_agent, source_file, source_record, raw)
     SELECT i, TIMESTAMP '2026-03-01 00:00:00' + INTERVAL (i * 17) MINUTE,
            CASE WHEN i % 3 = 0 THEN 'noninteractive' ELSE 'interactive' END,
            'req-' || i, 'user' || (i % 5) || '@contoso.com', '203.0.113.' || (i % 50),
            p.city, p.country, p.lat, p.lon, 'Office 365',
            CASE WHEN i % 4 = 0 THEN 'failure' ELSE 'success' END,
            CASE WHEN i % 4 = 0 THEN 50126 ELSE 0 END,
            CASE WHEN i % 4 = 0 THEN ? ELSE NULL END,
            CASE WHEN i % 7 = 0 THEN ? ELSE 'Mozilla/5.0' END,
            CASE WHEN i % 2 = 0 THEN 'InteractiveSignIns.csv' ELSE 'signins.json' END, i + 1, '{"id":' || i || '}'
     FROM range(${rows}) t(i) JOIN (VALUES ${placeSql}) p(k, city, country, lat, lon) ON p.k = i % ${PLACES.length}`,
    [HOSTILE_REASON, HOSTILE_UA],
  );
  await session.db.run(`INSERT INTO tags VALUES (1, 'suspicious <tag>', '#c0392b', TIMESTAMP '2026-03-03 09:00:00')`);
  await session.db.run(`INSERT INTO row_tags VALUES (4, 1, TIMESTAMP '2026-03-03 09:00:00'), (8, 1, TIMESTAMP '2026-03-03 09:00:00')`);
  await session.db.run(`INSERT INTO row_notes VALUES (1, 8, ?, TIMESTAMP '2026-03-03 09:01:00', TIMESTAMP '2026-03-03 09:01:00')`, [HOSTILE_NOTE]);
  await session.db.run(
    `INSERT INTO saved_queries VALUES (1, 'Failures by user', 'SELECT user_principal_name, count(*) FROM signins WHERE status = ''failure'' GROUP BY 1', 'who failed', TIMESTAMP '2026-03-03 09:00:00', TIMESTAMP '2026-03-03 09:00:00')`,
  );
  const findingIds = ['password-spray-1', 'impossible-travel-2'];
  await session.db.run(`INSERT INTO finding_rows SELECT 'password-spray-1', i FROM range(0, ${rows}, 4) t(i)`);
  await session.db.run(`INSERT INTO finding_rows VALUES ('impossible-travel-2', 1), ('impossible-travel-2', 3)`);
  await session.db.run(
    `INSERT INTO findings (id, kind, severity, title, explanation, users, row_count, detector_sql, computed_at) VALUES
       ('password-spray-1', 'password-spray', 'high', 'Password spray from 203.0.113.0/24', ?, ['user0@contoso.com'], ${rows / 4}, 'SELECT row_id FROM signins WHERE error_code = 50126', TIMESTAMP '2026-03-03 08:00:00'),
       ('impossible-travel-2', 'impossible-travel', 'medium', 'Impossible travel Lagos → Sydney', 'Two sign-ins 34 minutes apart, 12,000 km apart', ['user1@contoso.com'], 2, 'SELECT row_id FROM signins WHERE row_id IN (1, 3)', TIMESTAMP '2026-03-03 08:00:00')`,
    [HOSTILE_EXPLANATION],
  );
  await session.db.run(`UPDATE findings SET score = CASE id WHEN 'password-spray-1' THEN 90 ELSE 50 END, accounts = 1`);
  // Marks the findings as computed on these rows with the case's thresholds, so a report does not recompute them.
  await session.db.run(`INSERT INTO finding_runs VALUES (TIMESTAMP '2026-03-03 08:00:00', (SELECT count(*) FROM signins), 2, 1, ?)`, [JSON.stringify(defaultThresholds())]);
  await session.db.run(`INSERT INTO finding_reviews (finding_id, state, note, reviewed_at) VALUES ('password-spray-1', 'confirmed', 'matches the helpdesk ticket', TIMESTAMP '2026-03-03 10:00:00')`);
  // The rows above were written directly; this entry records the state of every table, as
  // each capability's own audit entry does for the tables it changes.
  await appendAudit(session, { action: 'tag-added', detail: { tag: 'suspicious <tag>', rows: [4, 8] }, tables: CONTENT_TABLES });
  return { root, caseDir, evidenceDir, session, sources: sources.map((s) => ({ path: s.path, sha256: s.sha256 })), rows, findingIds };
}

/**
 * A fixture maker for one test file: every fixture it makes is closed and removed when
 * the file's tests end, after `beforeRemove` (for example lifting a write protection).
 */
export function fixturesForThisFile(defaults: { rows?: number; beforeRemove?: (f: Fixture) => void } = {}): (opts?: { rows?: number }) => Promise<Fixture> {
  const made: Fixture[] = [];
  after(() => {
    for (const f of made) {
      try {
        f.session.close();
      } catch {
        // closed by the test
      }
      defaults.beforeRemove?.(f);
      rmSync(f.root, { recursive: true, force: true });
    }
  });
  return async (opts = {}) => {
    const f = await makeFixture({ rows: opts.rows ?? defaults.rows });
    made.push(f);
    return f;
  };
}
