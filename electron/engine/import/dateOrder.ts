import type { DuckDBConnection } from '@duckdb/node-api';
import { ChoiceNeeded, type DateExample, type DateOrder } from './detectShape';
import { rows, type Params } from './sqlParams';

/**
 * Day/month order of a file's slash dates (`12/10/2026, 23:25:30.000`), decided from all of
 * its values: a first field above 12 can only be a day (day first), a second field above 12
 * can only be a day (month first); a value with both above 12 is invalid and does not vote. When no value tells, because every date has both fields
 * at 12 or below and some differ, the file is refused unless the user chose an order. A
 * 24-hour clock without AM/PM is only a hint (en-GB writes it, but so do other locales), and
 * is named in the message.
 */
export async function decideDateOrder(con: DuckDBConnection, fileLabel: string, valuesSql: string, params: Params, chosen: DateOrder | undefined): Promise<DateOrder | undefined> {
  const [r] = await rows<{ n: string; a: number | null; b: number | null; differ: boolean | null; ampm: boolean | null }>(
    con,
    // A value with both fields above 12 fits neither order: it is rejected on its own row and
    // does not vote.
    `SELECT count(*) AS n, max(a) FILTER (WHERE b <= 12) AS a, max(b) FILTER (WHERE a <= 12) AS b, bool_or(a <> b) AS differ, bool_or(ampm) AS ampm FROM (
       SELECT try_cast(regexp_extract(x, '^\\s*(\\d{1,2})/(\\d{1,2})/\\d{4}', 1) AS INTEGER) AS a,
              try_cast(regexp_extract(x, '^\\s*(\\d{1,2})/(\\d{1,2})/\\d{4}', 2) AS INTEGER) AS b,
              regexp_matches(x, '(?i)\\d\\s*[ap]\\.?m\\.?\\s*$') AS ampm
       FROM (${valuesSql}) WHERE x IS NOT NULL)
     WHERE a IS NOT NULL`,
    params.values,
  );
  if (!r || Number(r.n) === 0) return chosen;
  const dayFirst = (r.a ?? 0) > 12;
  const monthFirst = (r.b ?? 0) > 12;
  if (dayFirst && monthFirst) {
    throw new Error(`${fileLabel}: its dates are written both day first and month first (values above 12 in both positions); it is refused rather than read wrongly`);
  }
  if (dayFirst) return 'dmy';
  if (monthFirst) return 'mdy';
  if (!r.differ) return chosen ?? 'mdy';
  if (chosen) return chosen;
  const hint = r.ampm ? 'its times use AM/PM (en-US writes month first, but en-AU and others write day first)' : 'its times use a 24-hour clock (a hint of day first, not proof)';
  throw new ChoiceNeeded(
    `${fileLabel}: its dates could be month/day or day/month (no day above 12 in ${Number(r.n)} values), and ${hint}. ` +
      'Choose the order: --date-order mdy (10/12/2026 is 12 October) or --date-order dmy (10/12/2026 is 10 December) (API: dateOrder).',
    { kind: 'dateOrder', examples: await telling(con, valuesSql, params) },
  );
}

/** Two of the file's values whose two readings differ (the first and last such in text order). */
async function telling(con: DuckDBConnection, valuesSql: string, params: Params): Promise<DateExample[]> {
  const found = await rows<{ x: string }>(
    con,
    `SELECT x FROM (
       SELECT x, regexp_extract(x, '^\\s*(\\d{1,2})/(\\d{1,2})/(\\d{4})', 1) AS a, regexp_extract(x, '^\\s*(\\d{1,2})/(\\d{1,2})/(\\d{4})', 2) AS b
       FROM (${valuesSql}) WHERE x IS NOT NULL)
     WHERE a <> '' AND try_cast(a AS INTEGER) <> try_cast(b AS INTEGER)
     GROUP BY x ORDER BY min(x) LIMIT 200`,
    params.values,
  );
  const examples = found.map((f) => readBothWays(f.x)).filter((e): e is DateExample => e !== null);
  return examples.length > 2 ? [examples[0]!, examples[examples.length - 1]!] : examples;
}

function readBothWays(text: string): DateExample | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  if (!m) return null;
  const iso = (month: string, day: string): string => `${m[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return { text: text.trim(), dayFirst: iso(m[2]!, m[1]!), monthFirst: iso(m[1]!, m[2]!) };
}
