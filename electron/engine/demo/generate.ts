import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { checkOutputTarget } from '../case/outputTarget';
import { Background } from './background';
import type { SignInEvent } from './event';
import { plantIncidents, type PlantedSet } from './incidents';
import { buildTenant, TIME } from './tenant';
import { TruthTracker, type GroundTruth } from './truth';
import { EventHubWriter, GraphJsonWriter } from './writers/graphJson';
import { PortalCsvWriter, type PortalGeneration } from './writers/portalCsv';
import { LaCsvWriter } from './writers/laCsv';

/**
 * Export shapes the generator writes. Each shape renders the same event stream:
 * - portal-csv (and -55/-54/-49 for older header generations): the admin center's four
 *   downloads, InteractiveSignIns, NonInteractiveSignIns, ApplicationSignIns, MSISignIns;
 * - graph-json (a list-response page), graph-array (a bare array), graph-ndjson;
 * - eventhub: diagnostic-settings records, one per line, category per log type;
 * - la-csv: a Log Analytics / Sentinel CSV export of the four sign-in tables (US times);
 * - mixed: what a responder is typically handed, and the demo case: user sign-ins as
 *   portal CSVs, service principals as ApplicationSignIns CSV, managed identities as
 *   Event Hub records, and the rows whose evidence only JSON can carry (risk verdicts,
 *   the isInteractive flag) as a Graph page.
 */
export const SHAPES = ['portal-csv', 'portal-csv-55', 'portal-csv-54', 'portal-csv-49', 'graph-json', 'graph-array', 'graph-ndjson', 'eventhub', 'la-csv', 'mixed'] as const;
export type Shape = (typeof SHAPES)[number];

export interface GenerateOptions {
  outDir: string;
  rows: number;
  seed?: string;
  shapes?: Shape[];
  /** ISO dates (UTC) of the span; default 2026-10-01 .. 2026-10-31 inclusive. */
  from?: string;
  to?: string;
  users?: number;
  /** Plant the incidents (default true). Sets of incidents grow with the row count. */
  incidents?: boolean;
  signal?: AbortSignal;
  onProgress?: (rows: number, total: number) => void;
  /** Replace files of the same names already in outDir (--force). */
  replace?: boolean;
}

export const GENERATOR_VERSION = 'signet-demo-1';
export const DEFAULT_SEED = 'signet';
export const GROUND_TRUTH_FILE = 'ground-truth.json';

interface Sink {
  path: string;
  shape: Shape;
  logTypes: Set<string>;
  writer: { write(e: SignInEvent): Promise<void> | void; close(): Promise<void>; rows: number; path: string };
}

type Router = (e: SignInEvent) => Sink;

function dayString(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

function buildRouter(shape: Shape, dir: string, from: number, to: number, sinks: Sink[]): Router {
  const range = `${dayString(from)}_${dayString(to - 1)}`;
  const lazy = new Map<string, Sink>();
  const get = (key: string, make: () => Sink['writer']): Sink => {
    let s = lazy.get(key);
    if (!s) {
      s = { path: '', shape, logTypes: new Set(), writer: make() };
      s.path = s.writer.path;
      lazy.set(key, s);
      sinks.push(s);
    }
    return s;
  };
  const portal = (gen: PortalGeneration) => (e: SignInEvent): Sink => {
    switch (e.logType) {
      case 'interactive':
        return get('i', () => new PortalCsvWriter(join(dir, `InteractiveSignIns_${range}.csv`), 'user', gen));
      case 'noninteractive':
        return get('n', () => new PortalCsvWriter(join(dir, `NonInteractiveSignIns_${range}.csv`), 'user', gen));
      case 'serviceprincipal':
        return get('s', () => new PortalCsvWriter(join(dir, `ApplicationSignIns_${range}.csv`), 'workload'));
      default:
        return get('m', () => new PortalCsvWriter(join(dir, `MSISignIns_${range}.csv`), 'workload'));
    }
  };
  switch (shape) {
    case 'portal-csv':
      return portal(57);
    case 'portal-csv-55':
      return portal(55);
    case 'portal-csv-54':
      return portal(54);
    case 'portal-csv-49':
      return portal(49);
    case 'graph-json':
      return () => get('g', () => new GraphJsonWriter(join(dir, `SignInLogs_graph-beta_${range}.json`), 'page'));
    case 'graph-array':
      return () => get('g', () => new GraphJsonWriter(join(dir, `SignInLogs_graph-beta-array_${range}.json`), 'array'));
    case 'graph-ndjson':
      return () => get('g', () => new GraphJsonWriter(join(dir, `SignInLogs_graph-beta_${range}.ndjson`), 'ndjson'));
    case 'eventhub':
      return () => get('e', () => new EventHubWriter(join(dir, `eventhub-signin-records_${range}.ndjson`)));
    case 'la-csv':
      return () => get('l', () => new LaCsvWriter(join(dir, `la-export-signins_${range}.csv`)));
    case 'mixed': {
      const csv = portal(57);
      return (e) => {
        if (e.needsJson) return get('g', () => new GraphJsonWriter(join(dir, `SignInLogs_graph-beta_${range}.json`), 'page'));
        if (e.logType === 'managedidentity') return get('e', () => new EventHubWriter(join(dir, `eventhub-ManagedIdentitySignInLogs_${range}.ndjson`)));
        return csv(e);
      };
    }
  }
}

/** A binary min-heap on (time, request id): a total order, so output is deterministic. */
class EventHeap {
  private readonly items: SignInEvent[] = [];

  get size(): number {
    return this.items.length;
  }

  private less(a: SignInEvent, b: SignInEvent): boolean {
    return a.t < b.t || (a.t === b.t && a.id < b.id);
  }

  push(e: SignInEvent): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): SignInEvent | undefined {
    return this.items[0];
  }

  pop(): SignInEvent | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function parseSpan(from?: string, to?: string): { start: number; end: number } {
  const start = Date.parse(`${from ?? '2026-10-01'}T00:00:00Z`);
  const end = Date.parse(`${to ?? '2026-10-31'}T00:00:00Z`) + TIME.DAY;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new Error(`Invalid span ${from ?? ''}..${to ?? ''}: use YYYY-MM-DD dates, from before to`);
  return { start, end };
}

/**
 * Write the dataset and its ground truth (`ground-truth.json`) into `outDir`. Everything is
 * written into a staging folder inside it first and moved into place only after every
 * target has passed the output rules, so a refusal or failure leaves outDir as it was.
 */
export async function generateDataset(opts: GenerateOptions): Promise<GroundTruth> {
  const outDir = checkOutputTarget(opts.outDir, { replace: true }, 'folder');
  checkOutputTarget(join(outDir, GROUND_TRUTH_FILE), { replace: opts.replace });
  await mkdir(outDir, { recursive: true });
  const stage = join(outDir, `.signet-generate-${randomBytes(6).toString('hex')}.partial`);
  try {
    const truth = await generateInto({ ...opts, outDir: stage });
    const staged = [...truth.files.map((f) => f.path), join(stage, GROUND_TRUTH_FILE)];
    const finalPath = (p: string): string => join(outDir, relative(stage, p));
    for (const p of staged) checkOutputTarget(finalPath(p), { replace: opts.replace });
    for (const p of staged) {
      await mkdir(dirname(finalPath(p)), { recursive: true });
      await rename(p, finalPath(p));
    }
    return { ...truth, files: truth.files.map((f) => ({ ...f, path: finalPath(f.path) })) };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function generateInto(opts: GenerateOptions): Promise<GroundTruth> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const shapes = opts.shapes?.length ? opts.shapes : (['portal-csv', 'graph-json'] as Shape[]);
  const rows = Math.max(0, Math.floor(opts.rows));
  const { start, end } = parseSpan(opts.from, opts.to);
  const tenant = buildTenant(seed, start, end, opts.users ?? 300);
  const sets = 1 + Math.floor(rows / 500_000);
  const planted: PlantedSet = opts.incidents === false ? { events: [], quiet: [], incidents: [], hostileRows: [] } : plantIncidents(tenant, seed, sets);
  const budget = Math.max(0, rows - planted.events.length);
  const background = new Background(tenant, seed, budget, planted.quiet);
  await mkdir(opts.outDir, { recursive: true });
  const sinks: Sink[] = [];
  const routers: Router[] = [];
  for (const shape of shapes) {
    const dir = shapes.length > 1 ? join(opts.outDir, shape) : opts.outDir;
    await mkdir(dir, { recursive: true });
    routers.push(buildRouter(shape, dir, start, end, sinks));
  }
  const sharedIps = new Set([...tenant.offices, ...tenant.vpn].map((x) => x.ip));
  const tracker = new TruthTracker(sharedIps);
  const heap = new EventHeap();
  let emitted = 0;
  const total = budget + planted.events.length;
  let nextPlanted = 0;
  // Returns a promise only when a writer is flushing a full buffer, so rows do not each
  // pay for a microtask.
  const emit = (e: SignInEvent): Promise<unknown> | undefined => {
    tracker.observe(e);
    let waits: Promise<void>[] | undefined;
    for (const route of routers) {
      const sink = route(e);
      sink.logTypes.add(e.logType);
      const pending = sink.writer.write(e);
      if (pending) (waits ??= []).push(pending);
    }
    emitted++;
    return waits && Promise.all(waits);
  };
  for (let h = 0; h < background.hourCount; h++) {
    if (opts.signal?.aborted) throw new Error('Cancelled by the user');
    const hourEnd = start + (h + 1) * TIME.HOUR;
    for (const e of background.hour(h)) heap.push(e);
    while (nextPlanted < planted.events.length && planted.events[nextPlanted]!.t < hourEnd) heap.push(planted.events[nextPlanted++]!);
    while (heap.size > 0 && heap.peek()!.t < hourEnd) {
      const pending = emit(heap.pop()!);
      if (pending) await pending;
    }
    opts.onProgress?.(emitted, total);
  }
  while (nextPlanted < planted.events.length) heap.push(planted.events[nextPlanted++]!);
  while (heap.size > 0) {
    const pending = emit(heap.pop()!);
    if (pending) await pending;
  }
  for (const s of sinks) await s.writer.close();
  opts.onProgress?.(emitted, total);

  const kinds = tracker.kindTruth();
  const jsonCapable = shapes.some((s) => !s.startsWith('portal-csv'));
  if (!jsonCapable) {
    // The portal CSV has no risk or isInteractive columns: those rows carry no evidence there.
    for (const k of ['risky_signin', 'interactive_mismatch'] as const) kinds[k] = { request_ids: [], users: [], ips: [] };
  }
  const truth: GroundTruth = {
    generator: GENERATOR_VERSION,
    seed,
    rows: emitted,
    span: { from: new Date(start).toISOString(), to: new Date(end).toISOString() },
    files: sinks.map((s) => ({ path: s.path, shape: s.shape, logTypes: [...s.logTypes].sort(), rows: s.writer.rows })),
    kinds,
    incidents: planted.incidents,
    noise: tracker.noiseTruth(),
    hostile_rows: planted.hostileRows,
    rules: {
      impossible_travel: {
        speed_kmh: tracker.speedKmh,
        min_distance_km: tracker.minDistanceKm,
        shared_ips: [...sharedIps].sort(),
        note: 'consecutive successful user sign-ins (time, request id order), shared office/VPN egress addresses left out; distance minus both uncertainty radii (50 km city, 300 km country centroid) over elapsed time above the speed',
      },
      new_country: { learning_days: tracker.learningDays, note: "a user's first successful sign-in from a country, at least learning_days after the user's first successful sign-in" },
    },
  };
  // Paths in the file are relative to it, so the same seed gives a byte-identical file anywhere.
  const stored = { ...truth, files: truth.files.map((f) => ({ ...f, path: relative(opts.outDir, f.path) })) };
  await writeFile(join(opts.outDir, GROUND_TRUTH_FILE), JSON.stringify(stored, null, 1));
  return truth;
}
