import type { CaseSession } from '../case/caseSession';
import { generateReport, type GeneratedReport } from '../report/generateReport';
import type { ReportOptions } from '../report/findingsReport';
import type { JobRunner } from './jobRunner';

export const REPORT_JOB = 'report';

/**
 * Write the case report as a job every window sees: section i of n as its progress, and a
 * Cancel that stops it between sections, before any file is written.
 */
export function startReportJob(jobs: JobRunner, session: CaseSession, options: ReportOptions): string {
  // Checked now, so a read-only case is refused at once rather than as a failed job.
  session.requireWritable('writing a report into its reports/ folder (write it to another folder)');
  return jobs.start(REPORT_JOB, async (ctx): Promise<GeneratedReport> => {
    const report = await generateReport(session, undefined, options, {
      signal: ctx.signal,
      progress: (s) => ctx.progress({ fraction: s.index / s.total, message: `${s.name} (section ${s.index + 1} of ${s.total})` }),
    });
    ctx.progress({ fraction: 1, message: 'Report written' });
    return report;
  });
}
