import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseSession } from '../../electron/engine/case/caseSession';
import { importFiles } from '../../electron/engine/import/importFiles';
import { generateDataset, type Shape } from '../../electron/engine/demo/generate';
import type { GroundTruth } from '../../electron/engine/demo/truth';
import { FINDING_KINDS } from '../../electron/engine/findings/types';

/** A case built the way a user builds one: generated export files through the real importer. */
export async function generatedCase(rows: number, shapes: Shape[], seed = 'signet'): Promise<{ dir: string; session: CaseSession; truth: GroundTruth }> {
  const dir = mkdtempSync(join(tmpdir(), 'signet-findings-'));
  const truth = await generateDataset({ outDir: join(dir, 'evidence'), rows, seed, shapes });
  const session = await CaseSession.create(join(dir, 'case'), 'test', 'Findings test');
  const files = await importFiles(session, truth.files.map((f) => f.path), { signal: new AbortController().signal, progress: () => undefined });
  for (const f of files) if (f.errors.length || f.rejected) throw new Error(`import of ${f.file}: ${f.rejected} rejected, ${f.errors.join('; ')}`);
  session.changed();
  return { dir, session, truth };
}

export interface KindScore {
  kind: string;
  truth: number;
  found: number;
  recall: number;
  precision: number;
}

/** Recall and precision per finding kind, on request ids, against the generator's ground truth. */
export async function scoreFindings(session: CaseSession, truth: GroundTruth): Promise<KindScore[]> {
  const out: KindScore[] = [];
  for (const kind of FINDING_KINDS) {
    const rows = await session.db.all<{ request_id: string }>(
      `SELECT DISTINCT s.request_id FROM findings f JOIN finding_rows r ON r.finding_id = f.id JOIN signins s ON s.row_id = r.row_id WHERE f.kind = ?`,
      [kind],
    );
    const found = new Set(rows.map((r) => r.request_id));
    const expected = new Set(truth.kinds[kind].request_ids);
    const hit = [...found].filter((id) => expected.has(id)).length;
    out.push({
      kind,
      truth: expected.size,
      found: found.size,
      recall: expected.size ? hit / expected.size : found.size === 0 ? 1 : 0,
      precision: found.size ? hit / found.size : expected.size === 0 ? 1 : 0,
    });
  }
  return out;
}

export function formatScores(scores: KindScore[]): string {
  return scores
    .map((s) => `${s.kind.padEnd(22)} truth ${String(s.truth).padStart(4)}  found ${String(s.found).padStart(4)}  recall ${s.recall.toFixed(3)}  precision ${s.precision.toFixed(3)}`)
    .join('\n');
}
