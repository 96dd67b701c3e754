import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { CaseSession } from '../../engine/case/caseSession';
import { caseSummary } from '../../engine/query/caseSummary';

function parse(argv: string[]): { caseDir: string; json: boolean } {
  let caseDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--case') {
      caseDir = argv[++i];
      if (!caseDir || caseDir.startsWith('--')) throw new UsageError('--case needs a folder');
    } else if (a === '--json') json = true;
    else throw new UsageError(`Unknown argument: ${a}`);
  }
  if (!caseDir) throw new UsageError('--case is required');
  return { caseDir, json };
}

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'info --case DIR [--json]',
  summary: 'Sources, row counts by log type and status, and the time span of a case (no re-import).',
  async run(argv) {
    const { caseDir, json } = parse(argv);
    let session: CaseSession;
    try {
      session = await CaseSession.open(caseDir, { access: 'read' });
    } catch (err) {
      const coded = err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && /^(not_a_case|case_locked|case_read_only)$/.test(String((err as { code?: unknown }).code));
      if (coded) console.error(err.message);
      else console.error(`${caseDir}: not a Signet case (${err instanceof Error ? err.message : String(err)})`);
      return 1;
    }
    try {
      const info = await caseSummary(session);
      if (json) {
        console.log(JSON.stringify(info));
        return 0;
      }
      console.log(`Case ${info.name} (${info.dir}), created ${info.createdAt}`);
      console.log(`${info.rowCount} sign-in rows, ${info.firstUtc ?? '-'} to ${info.lastUtc ?? '-'} (UTC)`);
      console.log('By log type:');
      for (const r of info.byLogType) console.log(`  ${String(r.logType ?? '(none)').padEnd(18)} ${r.rows}`);
      console.log('By status:');
      for (const r of info.byStatus) console.log(`  ${String(r.status ?? '(none)').padEnd(18)} ${r.rows}`);
      console.log(`Rows with conflicting copies: ${info.conflictRows ?? 0} (filter copy_conflict; table row_conflicts)`);
      console.log(`Sources (${info.sources.length}):`);
      for (const s of info.sources) {
        console.log(`  #${s.id} ${s.name}  ${s.shape}${s.logType ? ` (${s.logType})` : ''}  read ${s.read} = imported ${s.imported} + duplicates ${s.duplicates} + rejected ${s.rejected}`);
        console.log(`      ${s.bytes} bytes  sha256 ${s.sha256}`);
        if (s.logTypeReason) console.log(`      log type from ${s.logTypeReason}`);
      }
      return 0;
    } finally {
      session.close();
    }
  },
};
