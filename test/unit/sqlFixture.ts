import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';

export interface SqlFixture {
  root: string;
  caseDir: string;
  evidenceDir: string;
  sandboxDir: string;
  session: CaseSession;
}

const USERS = ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com', 'dave@contoso.com', 'eve@contoso.com'];
const COUNTRIES = ['US', 'GB', 'DE', 'NG', 'BR', null];
/** Constant test lists as SQL literals (list parameters are not bindable). */
const sqlList = (xs: Array<string | null>) => `[${xs.map((x) => (x === null ? 'NULL' : `'${x}'`)).join(', ')}]`;
const CLIENTS = ['Browser', 'Mobile Apps and Desktop clients', 'IMAP4', 'Exchange ActiveSync', 'Authenticated SMTP'];

/**
 * A case with `rows` canonical sign-ins (deterministic), one evidence file next to it whose
 * hash the manifest records, and an empty sandbox folder hostile statements aim at.
 */
export async function makeSqlFixture(rows = 400): Promise<SqlFixture> {
  const root = mkdtempSync(join(tmpdir(), 'signet-sql-'));
  const caseDir = join(root, 'case');
  const evidenceDir = join(root, 'evidence');
  const sandboxDir = join(root, 'sandbox');
  mkdirSync(evidenceDir);
  mkdirSync(sandboxDir);
  const evidence = join(evidenceDir, 'InteractiveSignIns.csv');
  writeFileSync(evidence, 'Date (UTC),Username,IP address\n2026-01-01T00:00:00Z,alice@contoso.com,203.0.113.5\n');
  const session = await CaseSession.create(caseDir, 'test', 'sql fixture');
  await session.db.run(
    `INSERT INTO signins (row_id, time_utc, log_type, request_id, user_principal_name, user_display_name, ip_address, country, city, status, error_code,
       failure_reason, client_app, mfa_result, session_id, unique_token_identifier, latency_ms, source_file, source_record, source_shape, raw)
     SELECT i,
       TIMESTAMP '2026-03-01 00:00:00' + to_minutes(i * 37),
       CASE WHEN i % 4 = 0 THEN 'noninteractive' ELSE 'interactive' END,
       'req-' || i,
       (${sqlList(USERS)}::VARCHAR[])[1 + i % 5],
       split_part((${sqlList(USERS)}::VARCHAR[])[1 + i % 5], '@', 1),
       '203.0.113.' || (i % 23),
       (${sqlList(COUNTRIES)}::VARCHAR[])[1 + i % 6],
       'City ' || (i % 7),
       CASE WHEN i % 5 = 0 THEN 'failure' ELSE 'success' END,
       CASE WHEN i % 5 = 0 THEN CASE WHEN i % 10 = 0 THEN 500121 ELSE 50126 END ELSE 0 END,
       CASE WHEN i % 5 = 0 THEN 'Invalid username or password' END,
       (${sqlList(CLIENTS)}::VARCHAR[])[1 + i % 5],
       CASE WHEN i % 10 = 0 THEN 'MFA denied; user declined' END,
       'sess-' || (i % 40),
       'tok-' || (i % 60),
       10 + i % 300,
       'InteractiveSignIns.csv', i + 1, 'portal-csv',
       json_object('id', 'req-' || i, 'userPrincipalName', (${sqlList(USERS)}::VARCHAR[])[1 + i % 5],
         'appliedConditionalAccessPolicies', json_array(json_object('displayName', 'Require MFA', 'result', CASE WHEN i % 5 = 0 THEN 'failure' ELSE 'success' END)),
         'location', json_object('countryOrRegion', (${sqlList(COUNTRIES)}::VARCHAR[])[1 + i % 6]))
     FROM range(1, ? + 1) t(i)`,
    [rows],
  );
  const sha = createHash('sha256').update(readFileSync(evidence)).digest('hex');
  session.manifest.sources.push({
    id: 1, path: evidence, name: 'InteractiveSignIns.csv', sha256: sha, bytes: statSync(evidence).size, mtimeMs: statSync(evidence).mtimeMs,
    shape: 'portal-csv', logType: 'interactive', read: rows, imported: rows, duplicates: 0, rejected: 0, errors: [], importedAt: new Date().toISOString(),
  });
  await session.saveManifest();
  session.changed();
  return { root, caseDir, evidenceDir, sandboxDir, session };
}

export interface FileState {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Every file under a folder: relative name → size, mtime and hash. */
export function snapshotFolder(dir: string, skip: (rel: string) => boolean = () => false): Map<string, FileState> {
  const out = new Map<string, FileState>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip(rel)) continue;
      const st = statSync(p);
      if (st.isDirectory()) {
        out.set(rel + '/', { size: 0, mtimeMs: 0, sha256: 'dir' });
        walk(p);
      } else out.set(rel, { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash('sha256').update(readFileSync(p)).digest('hex') });
    }
  };
  walk(dir);
  return out;
}

/** Row count and an order-independent checksum of every case table but the ones the console itself appends to. */
export async function caseTablesDigest(session: CaseSession, exclude: string[]): Promise<Record<string, string>> {
  const tables = await session.db.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary ORDER BY table_name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (exclude.includes(name)) continue;
    const row = await session.db.one(`SELECT count(*) AS n, coalesce(sum(hash(t)), 0) AS h FROM "${name.replace(/"/g, '""')}" t`);
    out[name] = `${String(row?.n)}:${String(row?.h)}`;
  }
  return out;
}
