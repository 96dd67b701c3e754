import { normaliseHeader, parseCsvHeader, type CsvHeader } from './csvHeader';
import { firstRecord } from './tolerantJson';
import type { JsonDialect } from './graphJson';
import { looksLikeAuthDetails, looksLikePortal, portalLogType } from './portalCsv';
import { looksLikeGraphActivity, looksLikeLaSignins } from './laMapping';

export type CsvShape = 'portal-csv' | 'portal-auth-details-csv' | 'la-csv' | 'la-graph-activity-csv';
export type JsonLayout = 'array' | 'lines' | 'document' | 'page-lines';

export type Plan =
  | {
      kind: 'csv';
      shape: CsvShape;
      logType: string | null;
      /** Why the log type is what it is (content, file name, or the user's choice). */
      logTypeReason: string;
      header: CsvHeader;
      /** Log Analytics times written M/D or D/M (dmy), decided per file when the values say. */
      dateOrder?: DateOrder;
    }
  | {
      kind: 'json';
      shape: string;
      dialect: JsonDialect;
      layout: JsonLayout;
      containers: boolean;
      hintLogType: string | null;
      logTypeReason: string;
      graphActivity: boolean;
      /** The first record's keys in file order, each once: the key list most records of an export repeat. */
      recordKeys: string[];
    };

/** A file that cannot be imported at all; the message names what was expected. */
export class ShapeError extends Error {}

export const LOG_TYPES = ['interactive', 'noninteractive', 'serviceprincipal', 'managedidentity'] as const;
export type LogType = (typeof LOG_TYPES)[number];
export type DateOrder = 'mdy' | 'dmy';

/** A slash date from the file, read both ways (ISO dates), so the user can tell which is right. */
export interface DateExample {
  text: string;
  dayFirst: string;
  monthFirst: string;
}

/**
 * What the user must settle before a refused file can be imported: the machine-readable
 * side of the refusal, so a UI can ask instead of parsing the message.
 */
export type ImportChoice = { kind: 'logType'; options: LogType[] } | { kind: 'dateOrder'; examples: DateExample[] };

/** A refusal that a choice of the user's (log type, date order) would settle. */
export class ChoiceNeeded extends ShapeError {
  constructor(
    message: string,
    readonly choice: ImportChoice,
  ) {
    super(message);
  }
}

/** What the user settled for files whose content and name cannot tell. */
export interface DetectOptions {
  logType?: LogType;
  dateOrder?: DateOrder;
}

const EXPECTED =
  'Expected an Entra sign-in export: a portal download (CSV with "Date (UTC)", "Request ID", …), Microsoft Graph signIns JSON, ' +
  'diagnostic-settings / Event Hub records, or a Log Analytics / Sentinel export of a sign-in table';

/**
 * A log type suggested by the file name (the portal's download names and what people rename
 * them to: `non-interactive-signins.csv`, `Non interactive sign-ins.csv`); content wins when it says.
 */
export function logTypeHint(fileName: string): LogType | null {
  const n = fileName.toLowerCase();
  if (/non[\s_.-]*interactive/.test(n)) return 'noninteractive';
  if (/managed[\s_.-]*identit|msisignins|(^|[^a-z])msi([^a-z]|$)/.test(n)) return 'managedidentity';
  if (/service[\s_.-]*principal|applicationsignins|application[\s_.-]*sign/.test(n)) return 'serviceprincipal';
  if (/interactive/.test(n)) return 'interactive';
  return null;
}

/** The tie-breakers after content: the file name, then the user's choice; or a refusal naming both. */
function fallbackLogType(fileName: string, opts: DetectOptions, why: string, options: readonly LogType[] = LOG_TYPES): { logType: LogType; reason: string } {
  const hint = logTypeHint(fileName);
  if (hint) return { logType: hint, reason: `file name "${fileName}" (${why})` };
  if (opts.logType) return { logType: opts.logType, reason: `chosen at import (--log-type ${opts.logType}; ${why})` };
  throw new ChoiceNeeded(
    `${why}, and the file name does not say which log it is. Choose it: --log-type interactive|noninteractive|serviceprincipal|managedidentity (API: logType).`,
    { kind: 'logType', options: [...options] },
  );
}

function laKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().replace(/\s*\[UTC\]$/i, '').toLowerCase();
}

/** Data rows from the head (after the header), as header-name lookups; at most `max`. */
function headRows(head: string, header: CsvHeader, max: number): Array<(name: string) => string> {
  const out: Array<(name: string) => string> = [];
  const names = header.cells.map(normaliseHeader);
  let rest = head;
  for (let i = 0; i <= max; i++) {
    const rec = parseCsvHeader(rest, header.delimiter);
    if (!rec.complete) break;
    if (i > 0) out.push((name) => rec.cells[names.indexOf(name)]?.trim() ?? '');
    if (rec.consumed <= 0 || rec.consumed >= rest.length) break;
    rest = rest.slice(rec.consumed);
  }
  return out;
}

/** The portal's log type from content, else the file name, else the user's choice. */
function portalLogTypeOf(has: (n: string) => boolean, head: string, header: CsvHeader, fileName: string, opts: DetectOptions): { logType: LogType; reason: string } {
  const content = portalLogType(has, headRows(head, header, 200));
  if (content) return content;
  const users = has('username') || has('user');
  return users
    ? fallbackLogType(fileName, opts, "the portal's interactive and non-interactive downloads share one header", ['interactive', 'noninteractive'])
    : fallbackLogType(fileName, opts, 'the application (service principal) and managed-identity downloads share one header', ['serviceprincipal', 'managedidentity']);
}

/** A Log Analytics export says its table per row (Category/Type, SignInEventTypes) or not at all. */
function laLogTypeOf(hasLa: (n: string) => boolean, fileName: string, opts: DetectOptions): { logType: LogType | null; reason: string } {
  if (hasLa('category') || hasLa('type')) return { logType: fallbackOrNull(fileName, opts), reason: 'the Category / Type column of each row' };
  if (hasLa('signineventtypes')) return { logType: fallbackOrNull(fileName, opts), reason: 'the SignInEventTypes column of each row' };
  if (hasLa('isinteractive')) return { logType: fallbackOrNull(fileName, opts), reason: 'the IsInteractive column of each row (user sign-ins), service-principal and managed-identity columns' };
  const f = fallbackLogType(fileName, opts, 'the export has no Category, Type, SignInEventTypes or IsInteractive column');
  return { logType: f.logType, reason: f.reason };
}

function fallbackOrNull(fileName: string, opts: DetectOptions): LogType | null {
  return logTypeHint(fileName) ?? opts.logType ?? null;
}

function detectCsv(head: string, fileName: string, opts: DetectOptions): Plan {
  const header = parseCsvHeader(head);
  const norm = new Set(header.cells.map(normaliseHeader));
  const has = (n: string): boolean => norm.has(n);
  const la = new Set(header.cells.map(laKey));
  const hasLa = (n: string): boolean => la.has(n);
  if (header.cells.length < 2) {
    throw new ShapeError(`the first line has ${header.cells.length} column(s) and is not a CSV header of a sign-in export. ${EXPECTED}.`);
  }
  if (looksLikePortal(has)) {
    const lt = portalLogTypeOf(has, head, header, fileName, opts);
    return { kind: 'csv', shape: 'portal-csv', logType: lt.logType, logTypeReason: lt.reason, header };
  }
  if (looksLikeAuthDetails(has, fileName)) return { kind: 'csv', shape: 'portal-auth-details-csv', logType: null, logTypeReason: 'authentication steps, not sign-ins', header };
  if (looksLikeGraphActivity(hasLa)) return { kind: 'csv', shape: 'la-graph-activity-csv', logType: null, logTypeReason: 'Graph activity records, not sign-ins', header };
  if (looksLikeLaSignins(hasLa)) {
    const lt = laLogTypeOf(hasLa, fileName, opts);
    return { kind: 'csv', shape: 'la-csv', logType: lt.logType, logTypeReason: lt.reason, header, ...(opts.dateOrder ? { dateOrder: opts.dateOrder } : {}) };
  }
  const shown = header.cells.slice(0, 8).map((c) => c.trim()).join(', ');
  throw new ShapeError(
    `is a CSV with columns ${shown}${header.cells.length > 8 ? ', …' : ''}: it looks like a query result or another table, not sign-in rows. ${EXPECTED}.`,
  );
}

function dialectOf(rec: Record<string, unknown>): { dialect: JsonDialect; graphActivity: boolean } | null {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(rec, k);
  const props = rec.properties;
  if (has('category') && props && typeof props === 'object') {
    return { dialect: 'eventhub', graphActivity: String(rec.category).toLowerCase() === 'microsoftgraphactivitylogs' };
  }
  const keys = new Set(Object.keys(rec).map((k) => k.toLowerCase()));
  if (keys.has('signinactivityid') && (keys.has('requesturi') || keys.has('requestmethod'))) return { dialect: 'la', graphActivity: true };
  if (has('createdDateTime') && (has('id') || has('userPrincipalName') || has('appId'))) return { dialect: 'graph', graphActivity: false };
  const laSignins = (has('TimeGenerated') || has('ResultType') || has('LocationDetails') || has('Type')) && (has('UserPrincipalName') || has('AppId') || has('ServicePrincipalId'));
  if (laSignins) return { dialect: 'la', graphActivity: false };
  if (has('CreatedDateTime') && (has('Id') || has('UserPrincipalName') || has('AppId'))) return { dialect: 'graph-pascal', graphActivity: false };
  return null;
}

const SHAPE_OF: Record<JsonDialect, string> = {
  graph: 'graph-json',
  'graph-pascal': 'graph-powershell-json',
  eventhub: 'eventhub-json',
  la: 'la-json',
};

function detectJson(head: string, fileName: string, opts: DetectOptions): Plan {
  const start = head.search(/\S/);
  const nl = head.indexOf('\n', start);
  const firstLine = (nl >= 0 ? head.slice(start, nl) : head.slice(start)).trim();
  let firstLineValue: unknown;
  let firstLineComplete = false;
  try {
    firstLineValue = JSON.parse(firstLine);
    firstLineComplete = firstLine.length > 2 || nl < 0;
  } catch {
    firstLineComplete = false;
  }
  let layout: JsonLayout;
  let containers: boolean;
  if (firstLineComplete && typeof firstLineValue === 'object' && firstLineValue !== null) {
    layout = 'lines';
    const v = firstLineValue as Record<string, unknown>;
    containers = Array.isArray(v) || Array.isArray(v.value) || Array.isArray(v.records);
  } else if (head[start] === '{' && pageOfLines(head.slice(start))) {
    // A page written one record per line (`{"value":[` / `{…},` / `]}`): read by line, so a
    // page of any size streams instead of being parsed as one object.
    layout = 'page-lines';
    containers = false;
  } else if (head[start] === '[' && arrayOfLines(head.slice(start))) {
    layout = 'page-lines';
    containers = false;
  } else if (head[start] === '[') {
    layout = 'array';
    containers = false;
  } else {
    layout = 'document';
    containers = true;
  }
  const rec = firstRecord(head);
  if (!rec) {
    throw new ShapeError(`holds JSON but no record could be read from its start. ${EXPECTED}.`);
  }
  const d = dialectOf(rec);
  if (!d) {
    const keys = Object.keys(rec).slice(0, 8).join(', ');
    throw new ShapeError(`holds JSON records with fields ${keys}: not sign-in records. ${EXPECTED}.`);
  }
  const reason =
    d.graphActivity ? 'Graph activity records, not sign-ins'
    : d.dialect === 'eventhub' ? 'the category of each record'
    : d.dialect === 'la' ? 'the Category / Type (else SignInEventTypes, IsInteractive) of each record'
    : 'signInEventTypes of each record, else its service-principal / managed-identity fields, else isInteractive; a record with none of them (Graph v1.0, which lists interactive sign-ins) is interactive';
  const hint = logTypeHint(fileName) ?? opts.logType ?? null;
  return { kind: 'json', shape: d.graphActivity && d.dialect === 'la' ? 'la-graph-activity-json' : SHAPE_OF[d.dialect], dialect: d.dialect, layout, containers, hintLogType: hint, logTypeReason: reason, graphActivity: d.graphActivity, recordKeys: Object.keys(rec) };
}

function pageOfLines(text: string): boolean {
  const lines = text.split('\n', 4).map((l) => l.trim());
  if (lines.length < 3 || !/"(value|records)"\s*:\s*\[$/.test(lines[0]!)) return false;
  try {
    const rec = JSON.parse(lines[1]!.replace(/,$/, '')) as unknown;
    return typeof rec === 'object' && rec !== null && !Array.isArray(rec);
  } catch {
    return false;
  }
}

/**
 * An array written one record per line (`[` / `{…},` / `]`): every complete line of the head
 * after the bracket is a whole record. Read by line, it streams on every core.
 */
function arrayOfLines(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim());
  lines.pop(); // the head may end inside a line
  if (lines.length < 3 || lines[0] !== '[') return false;
  let records = 0;
  for (const line of lines.slice(1)) {
    if (line === '' || line === ']') continue;
    try {
      const rec = JSON.parse(line.replace(/,$/, '')) as unknown;
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return false;
      records++;
    } catch {
      return false;
    }
  }
  return records > 0;
}

/** Decide how to read a file from its decoded head; the file name is only a hint. */
export function detectShape(head: string, fileName: string, opts: DetectOptions = {}): Plan {
  const text = head.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ShapeError(`is empty (no header, no records). ${EXPECTED}.`);
  const c = text.trimStart()[0];
  if (c === '{' || c === '[') return detectJson(text, fileName, opts);
  return detectCsv(text, fileName, opts);
}
