import type { CliCommand } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { verifyCase } from '../../engine/custody/verifyCase';
import { parseOptions, required } from './custodyArgs';

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify --case DIR [--json]',
  summary: 'Re-hash every source and check the audit chain; exit 0 when everything matches, 1 naming each problem.',
  async run(argv) {
    const { values, flags } = parseOptions(argv, ['case'], ['json']);
    const session = await CaseSession.open(required(values, 'case'));
    try {
      const report = await verifyCase(session);
      if (flags.has('json')) {
        console.log(JSON.stringify(report, null, 2));
      } else {
        for (const s of report.sources) console.log(`${s.status === 'ok' ? 'OK     ' : s.status.toUpperCase().padEnd(7)} ${s.name}  ${s.actualSha256 ?? '-'}`);
        const a = report.audit;
        console.log(`${a.ok ? 'OK     ' : 'FAILED '} audit log: ${a.dbEntries} entries in the case database, ${a.jsonlEntries} in audit.jsonl, head ${a.headHash ?? '-'}`);
        if (report.ok) console.log(`Verified: ${report.sources.length} source(s) match their SHA-256 and the audit chain is intact.`);
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
