import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { timelineFor } from '../../engine/timeline/timelineQuery';
import { histogram } from '../../engine/timeline/histogram';
import { BUCKET_IDS, type BucketId } from '../../engine/timeline/buckets';
import { STACK_BY, type StackBy } from '../../engine/timeline/dimensions';

interface Args {
  caseDir: string;
  zone: string;
  stack: StackBy;
  top: number;
  from?: number;
  to?: number;
  bucket?: BucketId;
  json: boolean;
}

function time(flag: string, v: string | undefined): number {
  const ms = v ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag} needs an ISO time, e.g. 2026-10-05T00:00:00Z`);
  return ms;
}

function parse(argv: string[]): Args {
  const a: Partial<Args> & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--case') a.caseDir = next();
    else if (flag === '--zone') a.zone = next();
    else if (flag === '--stack') {
      const v = next();
      if (!(STACK_BY as readonly string[]).includes(v)) throw new UsageError(`--stack is one of ${STACK_BY.join(', ')}`);
      a.stack = v as StackBy;
    } else if (flag === '--top') {
      a.top = Number(next());
      if (!Number.isInteger(a.top) || a.top < 1 || a.top > 20) throw new UsageError('--top is a whole number from 1 to 20');
    } else if (flag === '--from') a.from = time(flag, next());
    else if (flag === '--to') a.to = time(flag, next());
    else if (flag === '--bucket') {
      const v = next();
      if (!(BUCKET_IDS as readonly string[]).includes(v)) throw new UsageError(`--bucket is one of ${BUCKET_IDS.join(', ')}`);
      a.bucket = v as BucketId;
    } else if (flag === '--json') a.json = true;
    else throw new UsageError(`Unknown argument: ${flag}`);
  }
  if (!a.caseDir) throw new UsageError('--case is required');
  if ((a.from === undefined) !== (a.to === undefined)) throw new UsageError('--from and --to go together');
  if (a.from !== undefined && a.to !== undefined && a.to <= a.from) throw new UsageError('--to must be after --from');
  return { caseDir: a.caseDir, zone: a.zone ?? 'UTC', stack: a.stack ?? 'status', top: a.top ?? 8, from: a.from, to: a.to, bucket: a.bucket, json: a.json };
}

/** Tab-separated cells: a user-controlled label never starts a spreadsheet formula. */
function cell(v: string): string {
  const flat = v.replace(/[\t\r\n]+/g, ' ');
  return /^[=+\-@]/.test(flat) ? `'${flat}` : flat;
}

export const timelineCommand: CliCommand = {
  name: 'timeline',
  usage: 'timeline --case DIR [--zone IANA] [--stack status|log_type|user|ip|app|country] [--top N] [--from ISO --to ISO] [--bucket 1m|5m|15m|1h|6h|1d] [--json]',
  summary: 'Sign-ins per time bucket (as the Timeline view draws them), with spikes and gaps, as TSV or JSON.',
  async run(argv) {
    const args = parse(argv);
    let session: CaseSession;
    try {
      session = await CaseSession.open(args.caseDir, { access: 'read' });
    } catch (err) {
      const coded = err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && /^(not_a_case|case_locked|case_read_only)$/.test(String((err as { code?: unknown }).code));
      if (coded) console.error(err.message);
      else console.error(`${args.caseDir}: not a Signet case (${err instanceof Error ? err.message : String(err)})`);
      return 1;
    }
    try {
      const h = await histogram(timelineFor(session), {
        filter: { conditions: [] },
        timeZone: args.zone,
        stackBy: args.stack,
        topN: args.top,
        range: args.from !== undefined && args.to !== undefined ? { from: args.from, to: args.to } : undefined,
        bucket: args.bucket,
      });
      if (args.json) {
        console.log(JSON.stringify(h));
        return 0;
      }
      console.log(['bucket_start_utc', 'bucket_end_utc', ...h.series.map((s) => cell(s.label)), 'total'].join('\t'));
      h.starts.forEach((s, i) => {
        const counts = h.counts.map((c) => c[i]!);
        console.log([new Date(s).toISOString(), new Date(h.ends[i]!).toISOString(), ...counts, counts.reduce((a, b) => a + b, 0)].join('\t'));
      });
      console.error(`${h.starts.length} buckets of ${h.bucket.label} in ${h.zone}; ${h.total} sign-ins under the filter${h.undated ? `, ${h.undated} without a time` : ''}`);
      for (const s of h.spikes) console.error(`spike ${new Date(s.start).toISOString()}: ${s.count} vs median ${s.median}`);
      for (const g of h.gaps) console.error(`gap ${new Date(g.from).toISOString()} .. ${new Date(g.to).toISOString()}`);
      return 0;
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return 1;
    } finally {
      session.close();
    }
  },
};
