import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { COPY_SHIFT_DAYS, replicateCsv } from '../../bench/lib/replicateCsv';

// The 10M-row bench input is the 1M file copied ten times: each copy must be the same
// records moved on in time, with request ids of their own, so none is a duplicate of
// another. Read back by Python's csv module, not by the code that wrote it.

const READ = `
import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
print(json.dumps(rows))
`;

test('replicated portal CSV: one header, every record per copy, times moved on 31 days, request ids distinct, other cells unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'signet-replicate-'));
  try {
    const base = join(dir, 'base.csv');
    const records = [
      ['2026-10-01T00:41:31Z', 'b861747f-f0e4-435a-8c8a-e0a86f10d96b', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'Seattle, Washington, US'],
      ['2026-10-31T23:59:59Z', '0a000000-0000-4000-8000-000000000001', 'curl/8.0', 'Oslo, Oslo, NO'],
      ['2026-10-15T12:00:00Z', 'ffffffff-0000-4000-8000-000000000002', 'say "hi", twice', ''],
    ];
    const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    writeFileSync(base, ['"Date (UTC)","Request ID","User agent","Location"', ...records.map((r) => r.map(cell).join(','))].map((l) => `${l}\r\n`).join(''));
    const out = join(dir, 'out.csv');
    await replicateCsv(base, out, 3);
    const r = spawnSync('python3', ['-c', READ, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as string[][];
    assert.deepEqual(rows[0], ['Date (UTC)', 'Request ID', 'User agent', 'Location']);
    assert.equal(rows.length, 1 + 3 * records.length);
    const ids = new Set<string>();
    for (let k = 0; k < 3; k++) {
      for (const [i, rec] of records.entries()) {
        const row = rows[1 + k * records.length + i]!;
        const want = new Date(Date.parse(rec[0]!) + k * COPY_SHIFT_DAYS * 86_400_000).toISOString().replace('.000Z', 'Z');
        assert.equal(row[0], want, `copy ${k} record ${i}: time`);
        assert.equal(row[1]!.slice(2), rec[1]!.slice(2), `copy ${k} record ${i}: request id past its first two digits`);
        assert.equal(row[1]!.slice(0, 2), k === 0 ? rec[1]!.slice(0, 2) : k.toString(16).padStart(2, '0'));
        assert.deepEqual(row.slice(2), rec.slice(2), `copy ${k} record ${i}: other cells`);
        ids.add(`${row[0]}|${row[1]}`);
      }
    }
    assert.equal(ids.size, 3 * records.length, 'no two records share time and request id');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
