import { normaliseHeader, parseCsvHeader, type CsvHeader } from './csvHeader';
import { firstRecord } from './tolerantJson';
import type { JsonDialect } from './graphJson';
import { looksLikeAuthDetails, looksLikePortal, portalLogType } from './portalCsv';
import { looksLikeGraphActivity, looksLikeLaSignins } from './laMapping';

export type CsvShape = 'portal-csv' | 'portal-auth-details-csv' | 'la-csv' | 'la-graph-activity-csv';
export type JsonLayout = 'array' | 'lines' | 'document' | 'page-lines';

export type Plan =
  | { kind: 'csv'; shape: CsvShape; logType: string | null; header: CsvHeader }
  | {
      kind: 'json';
      shape: string;
      dialect: JsonDialect;
      layout: JsonLayout;
      containers: boolean;
      hintLogType: string | null;
      graphActivity: boolean;
      /** The first record's keys in file order, each once: the key list most records of an export repeat. */
      recordKeys: string[];
    };

/** A file that cannot be imported at all; the message names what was expected. */
export class ShapeError extends Error {}

const EXPECTED =
  'Expected an Entra sign-in export: a portal download (CSV with "Date (UTC)", "Request ID", …), Microsoft Graph signIns JSON, ' +
  'diagnostic-settings / Event Hub records, or a Log Analytics / Sentinel export of a sign-in table';

/** A log type suggested by the file name (the portal's download names); content wins when it says. */
export function logTypeHint(fileName: string): string | null {
  const n = fileName.toLowerCase();
  if (/noninteractive|non-interactive|non_interactive/.test(n)) return 'noninteractive';
  if (/managedidentit|msisignins/.test(n)) return 'managedidentity';
  if (/serviceprincipal|applicationsignins/.test(n)) return 'serviceprincipal';
  if (/interactive/.test(n)) return 'interactive';
  return null;
}

function laKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().replace(/\s*\[UTC\]$/i, '').toLowerCase();
}

function detectCsv(head: string, fileName: string): Plan {
  const header = parseCsvHeader(head);
  const norm = new Set(header.cells.map(normaliseHeader));
  const has = (n: string): boolean => norm.has(n);
  const la = new Set(header.cells.map(laKey));
  const hasLa = (n: string): boolean => la.has(n);
  if (header.cells.length < 2) {
    throw new ShapeError(`the first line has ${header.cells.length} column(s) and is not a CSV header of a sign-in export. ${EXPECTED}.`);
  }
  if (looksLikePortal(has)) return { kind: 'csv', shape: 'portal-csv', logType: portalLogType(has, fileName), header };
  if (looksLikeAuthDetails(has, fileName)) return { kind: 'csv', shape: 'portal-auth-details-csv', logType: null, header };
  if (looksLikeGraphActivity(hasLa)) return { kind: 'csv', shape: 'la-graph-activity-csv', logType: null, header };
  if (looksLikeLaSignins(hasLa)) return { kind: 'csv', shape: 'la-csv', logType: logTypeHint(fileName), header };
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

function detectJson(head: string, fileName: string): Plan {
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
  return { kind: 'json', shape: d.graphActivity && d.dialect === 'la' ? 'la-graph-activity-json' : SHAPE_OF[d.dialect], dialect: d.dialect, layout, containers, hintLogType: logTypeHint(fileName), graphActivity: d.graphActivity, recordKeys: Object.keys(rec) };
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
export function detectShape(head: string, fileName: string): Plan {
  const text = head.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ShapeError(`is empty (no header, no records). ${EXPECTED}.`);
  const c = text.trimStart()[0];
  if (c === '{' || c === '[') return detectJson(text, fileName);
  return detectCsv(text, fileName);
}
