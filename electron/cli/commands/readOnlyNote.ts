import type { CaseSession } from '../../engine/case/caseSession';

/** Tell the user (on stderr) that what they just did could not be recorded in the case's audit log. */
export function noteReadOnly(session: CaseSession, what: string): void {
  if (session.readOnly) console.error(`Read the case read-only because ${session.readOnly}; ${what} is not recorded in its audit log.`);
}
