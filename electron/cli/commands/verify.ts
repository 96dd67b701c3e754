import type { CliCommand } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { verifyCase } from '../../engine/custody/verifyCase';
import { parseOptions, required } from './custodyArgs';

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify --case DIR [--expect-head HASH] [--json]',
  summary:
    'Re-hash every source against its hash-chained import entry, recompute every case table\'s checksum, check manifest.json and the audit chain, and print the chain head; --expect-head fails when a head recorded earlier is no longer in the chain. Exit 0 when everything matches, 1 naming each problem.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case', 'expect-head'], ['json']);
    const session = await CaseSession.open(required(values, 'case'));
    try {
      const expectHead = values.get('expect-head');
      const report = await verifyCase(session, undefined, expectHead === undefined ? {} : { expectHead });
      if (flags.has('json')) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        for (const s of report.sources) console.log(`${s.status === 'ok' ? 'OK     ' : s.status.toUpperCase().padEnd(7)} ${s.name}  ${s.actualSha256 ?? '-'}`);
        const changed = report.tables.filter((t) => t.status === 'changed');
        const covered = report.tables.filter((t) => t.status !== 'unrecorded' || t.rows > 0);
        console.log(`${changed.length ? 'FAILED ' : 'OK     '} case tables: ${covered.length - changed.length} of ${covered.length} match the checksum recorded in the audit chain`);
        console.log(`${report.manifestProblems.length ? 'FAILED ' : 'OK     '} manifest.json agrees with the audit chain`);
        const a = report.audit;
        console.log(`${a.ok ? 'OK     ' : 'FAILED '} audit log: ${a.dbEntries} entries in the case database, ${a.jsonlEntries} in audit.jsonl`);
        if (report.expectedHead) console.log(`${report.expectedHead.ok ? 'OK     ' : 'FAILED '} expected head: ${report.expectedHead.message}`);
        for (const n of report.notes) console.log(`NOTE    ${n}`);
        console.log(`Chain head: seq ${report.head.seq} ${report.head.hash}  (this run's own entry; record it to check the case later with --expect-head)`);
        if (report.ok) console.log(`Verified: ${report.sources.length} source(s) match their SHA-256, the case tables match their recorded checksums and the audit chain is intact.`);
        else {
          console.error(`Verification FAILED (${report.problems.length} problem(s)):`);
          for (const p of report.problems) console.error(`  - ${p}`);
        }
      }
      return report.ok ? 0 : 1;
    } finally {
      session.close();
    }
  },
};
