import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { DEFAULT_SEED, GROUND_TRUTH_FILE, SHAPES, generateDataset, type Shape } from '../../engine/demo/generate';

function parse(argv: string[]): { out: string; rows: number; seed: string; shapes: Shape[]; from?: string; to?: string; incidents: boolean; quiet: boolean; force: boolean } {
  let out: string | undefined;
  let rows = 20_000;
  let seed = DEFAULT_SEED;
  let shapes: Shape[] = ['portal-csv', 'graph-json'];
  let from: string | undefined;
  let to: string | undefined;
  let incidents = true;
  let quiet = false;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--out':
        out = value();
        break;
      case '--rows': {
        const v = value();
        rows = Number(v.replace(/_/g, ''));
        if (!Number.isInteger(rows) || rows < 0) throw new UsageError(`--rows must be a whole number, got ${v}`);
        break;
      }
      case '--seed':
        seed = value();
        break;
      case '--shapes': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((s) => !(SHAPES as readonly string[]).includes(s));
        if (bad.length || !list.length) throw new UsageError(`Unknown shape(s) ${bad.join(', ')}; choose from ${SHAPES.join(', ')}`);
        shapes = list as Shape[];
        break;
      }
      case '--from':
        from = value();
        break;
      case '--to':
        to = value();
        break;
      case '--no-incidents':
        incidents = false;
        break;
      case '--quiet':
        quiet = true;
        break;
      case '--force':
        force = true;
        break;
      default:
        throw new UsageError(`Unknown argument: ${a}`);
    }
  }
  if (!out) throw new UsageError('--out is required');
  return { out: resolve(out), rows, seed, shapes, from, to, incidents, quiet, force };
}

export const generateCommand: CliCommand = {
  name: 'generate',
  usage: `generate --out DIR [--rows N] [--seed S] [--shapes ${SHAPES.join(',')}] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--no-incidents] [--quiet] [--force]`,
  summary: 'Write synthetic sign-in exports with planted incidents (same seed, same bytes) and their ground truth; files already there are replaced only with --force.',
  async run(argv) {
    const o = parse(argv);
    const t0 = performance.now();
    let lastReport = 0;
    const truth = await generateDataset({
      outDir: o.out,
      rows: o.rows,
      seed: o.seed,
      shapes: o.shapes,
      from: o.from,
      to: o.to,
      incidents: o.incidents,
      replace: o.force,
      onProgress: (rows, total) => {
        if (o.quiet || !process.stderr.isTTY || performance.now() - lastReport < 500) return;
        lastReport = performance.now();
        process.stderr.write(`\r${rows.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows`);
      },
    });
    if (!o.quiet && process.stderr.isTTY) process.stderr.write('\n');
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    if (!o.quiet) {
      for (const f of truth.files) console.log(`${String(f.rows).padStart(9)}  ${f.path}`);
      const planted = Object.entries(truth.kinds)
        .filter(([, v]) => v.request_ids.length)
        .map(([k, v]) => `${k} ${v.request_ids.length}`)
        .join(', ');
      console.log(`${truth.rows.toLocaleString('en-US')} sign-ins in ${secs} s (seed "${truth.seed}"); ground truth: ${resolve(o.out, GROUND_TRUTH_FILE)}`);
      console.log(`Rows per finding kind: ${planted}`);
    }
    return 0;
  },
};
