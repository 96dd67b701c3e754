import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Background } from '../../electron/engine/demo/background';
import { parseSpan } from '../../electron/engine/demo/generate';
import { buildTenant } from '../../electron/engine/demo/tenant';
import { GraphJsonWriter } from '../../electron/engine/demo/writers/graphJson';
import { PortalCsvWriter } from '../../electron/engine/demo/writers/portalCsv';

/**
 * The benchmark's evidence: the project's demo generator (background traffic, no planted
 * incidents) rendered as ONE portal CSV (57-column header) and ONE Graph JSON array of the
 * same `rows` sign-ins, streamed to disk.
 */
export async function writeBenchData(csvPath: string, jsonPath: string, rows: number, seed = 'bench'): Promise<void> {
  await mkdir(dirname(csvPath), { recursive: true });
  const { start, end } = parseSpan();
  const tenant = buildTenant(seed, start, end, 300);
  const background = new Background(tenant, seed, rows, []);
  const csv = new PortalCsvWriter(csvPath, 'user', 57);
  const json = new GraphJsonWriter(jsonPath, 'array');
  for (let h = 0; h < background.hourCount; h++) {
    for (const e of background.hour(h)) {
      await csv.write(e);
      await json.write(e);
    }
  }
  await csv.close();
  await json.close();
}
