import { TABLE_CHECKSUMS_KEY, type AuditRecord, type RecordedTableChecksums } from './audit';
import type { TableState } from './contentTables';

// What the hash-chained audit entries say about the case, read back for verify: the sources
// their imports recorded, and the last recorded state of every content table. manifest.json
// and the database are checked against these, not the other way round.

/** A source as the audit entry of its import recorded it (paths follow later relinks). */
export interface ChainSource {
  /** The source id the entry names; older entries name none and are matched by order. */
  sourceId: number | null;
  seq: number;
  path: string | null;
  entry: string | null;
  sha256: string;
  bytes: number | null;
  read: number | null;
  imported: number | null;
  duplicates: number | null;
  rejected: number | null;
}

/** Actions whose entry records one new source (file or hand-off) of the case. */
const SOURCE_ACTIONS = new Set(['import', 'source-imported']);

function detailOf(r: AuditRecord): Record<string, unknown> {
  try {
    const v = JSON.parse(r.detail) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A relink recorded in the chain: source `id` now lives at `to`. */
interface Relink {
  id: number;
  to: string;
}

function readChain(records: AuditRecord[]): { sources: ChainSource[]; relinks: Relink[] } {
  const out: ChainSource[] = [];
  const relinks: Relink[] = [];
  for (const r of records) {
    const d = detailOf(r);
    if (SOURCE_ACTIONS.has(r.action)) {
      const sha256 = str(d.sha256);
      if (!sha256) continue;
      out.push({
        sourceId: num(d.sourceId),
        seq: r.seq,
        path: str(d.file) ?? str(d.path),
        entry: str(d.entry),
        sha256,
        bytes: num(d.bytes),
        read: num(d.read),
        imported: num(d.imported),
        duplicates: num(d.duplicates),
        rejected: num(d.rejected),
      });
    } else if (r.action === 'sources-relinked' && Array.isArray(d.relinked)) {
      for (const x of d.relinked as unknown[]) {
        const o = (x ?? {}) as Record<string, unknown>;
        const id = num(o.id);
        const to = str(o.to);
        if (id !== null && to) relinks.push({ id, to });
      }
    }
  }
  return { sources: out, relinks };
}

/**
 * Pair chain sources with manifest source ids: by the id an entry names, else in order
 * (sources get ascending ids in the order they are imported).
 */
export function chainSourcesById(records: AuditRecord[], manifestIds: number[]): Map<number, ChainSource> {
  const { sources: chain, relinks } = readChain(records);
  const byId = new Map<number, ChainSource>();
  for (const c of chain) if (c.sourceId !== null) byId.set(c.sourceId, c);
  const free = [...manifestIds].sort((a, b) => a - b).filter((id) => !byId.has(id));
  let next = 1 + Math.max(0, ...manifestIds, ...chain.map((c) => c.sourceId ?? 0));
  for (const c of chain) {
    if (c.sourceId !== null) continue;
    byId.set(free.shift() ?? next++, c);
  }
  for (const r of relinks) {
    const s = byId.get(r.id);
    if (s) s.path = r.to;
  }
  return byId;
}

/** The last recorded state of each table, with the entry that recorded it. */
export interface RecordedTable {
  seq: number;
  action: string;
  method: string;
  state: TableState;
}

export function recordedTables(records: AuditRecord[]): Map<string, RecordedTable> {
  const out = new Map<string, RecordedTable>();
  for (const r of records) {
    const rec = detailOf(r)[TABLE_CHECKSUMS_KEY] as RecordedTableChecksums | undefined;
    if (!rec || typeof rec !== 'object' || !rec.tables) continue;
    for (const [name, state] of Object.entries(rec.tables)) {
      if (state && typeof state.checksum === 'string' && typeof state.rows === 'number') {
        out.set(name, { seq: r.seq, action: r.action, method: String(rec.method), state: { rows: state.rows, checksum: state.checksum, columns: Array.isArray(state.columns) ? state.columns.map(String) : [] } });
      }
    }
  }
  return out;
}
