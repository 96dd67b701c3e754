import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { listFindings } from '../../engine/findings/store';
import { recomputeFindings } from '../../engine/findings/compute';
import { saveThresholds } from '../../engine/findings/thresholdStore';
import { THRESHOLDS } from '../../engine/findings/thresholds';
import { appendAudit } from '../../engine/custody/audit';

function parse(argv: string[]): { caseDir: string; json: boolean; recompute: boolean; thresholds: Record<string, number | null> } {
  let caseDir: string | undefined;
  let json = false;
  let recompute = false;
  const thresholds: Record<string, number | null> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--recompute') recompute = true;
    else if (a === '--case' || a === '--threshold') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      if (a === '--case') caseDir = v;
      else {
        const m = /^([a-z_]+\.[a-z_]+)=(.+)$/.exec(v);
        if (!m) throw new UsageError(`--threshold wants key=value (e.g. password_spray.min_users=8), got ${v}`);
        const key = m[1]!;
        if (!THRESHOLDS.some((t) => t.key === key)) throw new UsageError(`Unknown threshold ${key}. Known: ${THRESHOLDS.map((t) => t.key).join(', ')}`);
        const value = m[2] === 'default' ? null : Number(m[2]);
        if (value !== null && !Number.isFinite(value)) throw new UsageError(`--threshold ${key} needs a number or "default", got ${m[2]}`);
        thresholds[key] = value;
      }
    } else throw new UsageError(`Unknown argument: ${a}`);
  }
  if (!caseDir) throw new UsageError('--case is required');
  return { caseDir, json, recompute, thresholds };
}

export const findingsCommand: CliCommand = {
  name: 'findings',
  usage: 'findings --case DIR [--json] [--threshold key=value ...] [--recompute]',
  summary: 'Detect password spray, brute force, MFA fatigue, impossible travel, token reuse and more; --threshold changes (and saves) a threshold and recomputes.',
  async run(argv) {
    const o = parse(argv);
    const changes = Object.keys(o.thresholds).length > 0 || o.recompute;
    const session = await CaseSession.open(o.caseDir, { access: changes ? 'write' : 'read' });
    try {
      if (changes) {
        let t;
        try {
          t = await saveThresholds(session, o.thresholds);
        } catch (err) {
          throw new UsageError(err instanceof Error ? err.message : String(err));
        }
        const r = await recomputeFindings(session, t);
        await appendAudit(session, { action: 'findings.recompute', detail: { changed: o.thresholds, findings: r.findings, ms: r.ms, via: 'cli' }, tables: ['finding_thresholds'] });
      }
      const list = await listFindings(session);
      const rows = await session.db.all<{ finding_id: string; ids: string[] }>(
        `SELECT r.finding_id, list(s.request_id ORDER BY s.time_utc, s.row_id) AS ids
         FROM finding_rows r JOIN signins s ON s.row_id = r.row_id GROUP BY r.finding_id`,
      );
      const ids = new Map(rows.map((r) => [r.finding_id, r.ids]));
      if (o.json) {
        const out = list.map((f) => ({
          id: f.id,
          kind: f.kind,
          severity: f.severity,
          score: f.score,
          accounts: f.accounts,
          rows: f.rowCount,
          successes: f.successes,
          title: f.title,
          explanation: f.explanation,
          request_ids: ids.get(f.id) ?? [],
          users: f.users,
          ips: f.ips,
          countries: f.countries,
          first_utc: f.firstUtc,
          last_utc: f.lastUtc,
          review: f.review.state,
          suppressed_by: f.suppressedBy,
        }));
        console.log(JSON.stringify(out, null, 2));
      } else {
        for (const f of list) {
          console.log(`${f.severity.toUpperCase().padEnd(7)} ${String(f.score).padStart(3)} ${f.kind.padEnd(21)} ${String(f.rowCount).padStart(5)} rows  ${f.firstUtc ?? ''}  ${f.title}${f.review.state !== 'open' ? `  [${f.review.state}]` : ''}`);
        }
        console.log(`${list.length} finding(s).`);
      }
      return 0;
    } finally {
      session.close();
    }
  },
};
