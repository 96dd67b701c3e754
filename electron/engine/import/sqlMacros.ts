import type { DuckDBConnection } from '@duckdb/node-api';
import { vocabularyMacros } from './vocabulary';

// Value conversions shared by every shape's mapping, as temporary macros on the import
// connection so the mapping SQL stays readable and every shape converts values the same way.

/**
 * Error codes whose class is "interrupted": the sign-in stopped to ask the user for something
 * (MFA, MFA or password-reset registration, "keep me signed in", device authentication, an
 * external challenge, a browser SSO token) and may continue, rather than being refused.
 * Source: Microsoft Entra "AADSTS error codes" reference (MicrosoftDocs/entra-docs,
 * docs/identity-platform/reference-error-codes.md), whose names mark these as interrupts:
 * 50072 UserStrongAuthEnrollmentRequiredInterrupt, 50074 UserStrongAuthClientAuthNRequiredInterrupt,
 * 50125 PasswordResetRegistrationRequiredInterrupt, 50140 KmsiInterrupt,
 * 50168 ChromeBrowserSsoInterruptRequired, 50199 CmsiInterrupt; and the prompts the admin
 * center lists as Interrupted: 50076 and 50079 (MFA required / registration required),
 * 50097 DeviceAuthenticationRequired, 50158 ExternalSecurityChallenge.
 * 500121 (MFA not completed) and Conditional Access blocks (53003) are failures.
 */
export const INTERRUPT_CODES = [50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158, 50168, 50199];

/** US-style times as Log Analytics / PowerShell render them; assumed UTC. */
const US_FORMATS = [
  '%m/%d/%Y, %I:%M:%S.%g %p',
  '%m/%d/%Y, %I:%M:%S %p',
  '%m/%d/%Y %I:%M:%S.%g %p',
  '%m/%d/%Y %I:%M:%S %p',
  '%m/%d/%Y, %H:%M:%S.%g',
  '%m/%d/%Y, %H:%M:%S',
  '%m/%d/%Y %H:%M:%S',
];
const OTHER_FORMATS = ['%d-%b-%y %I:%M:%S %p', '%d-%b-%Y %I:%M:%S %p'];
/** A date alone is midnight UTC (TIMESTAMP has no zone, so the machine's zone never enters). */
const US_DATE_ONLY = ['%m/%d/%Y'];
/** The same renderings day first, for files whose values say so (dateOrder.ts). */
const DAY_FIRST = [...US_FORMATS, ...US_DATE_ONLY].map((f) => f.replace('%m/%d/', '%d/%m/'));

const list = (xs: string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

export const MACROS: string[] = [
  // Text is stored as the evidence holds it, spaces included; only empty text is NULL.
  `CREATE OR REPLACE TEMP MACRO signet_txt(x) AS nullif(CAST(x AS VARCHAR), '')`,
  // Where a format needs it (a number, a flag, a code, a part of "City, State, CC"), spaces around the value are no part of it.
  `CREATE OR REPLACE TEMP MACRO signet_trimmed(x) AS nullif(trim(CAST(x AS VARCHAR)), '')`,
  // A CSV cell: DuckDB's CSV reader already gives NULL for empty and quoted-empty cells.
  `CREATE OR REPLACE TEMP MACRO signet_cell(x) AS x`,
  // ISO 8601 with or without zone (no zone = UTC), 0-9 fraction digits (kept to microseconds),
  // offsets converted to UTC; US-style Log Analytics times; a few PowerShell renderings.
  `CREATE OR REPLACE TEMP MACRO signet_ts(x) AS CASE
     WHEN signet_txt(x) IS NULL THEN NULL
     WHEN contains(x, '/') THEN try_strptime(trim(x), ${list([...US_FORMATS, ...US_DATE_ONLY])})
     -- An offset follows a time; a date alone ("2026-10-24") has dashes but no zone.
     WHEN contains(x, ':') AND (substr(trim(x), -6, 1) IN ('+', '-') OR substr(trim(x), -5, 1) IN ('+', '-'))
       THEN timezone('UTC', try_cast(trim(x) AS TIMESTAMPTZ))
     ELSE coalesce(try_cast(trim(x) AS TIMESTAMP), try_strptime(trim(x), ${list(OTHER_FORMATS)}))
   END`,
  // Day-first slash dates (12/10/2026 is 12 October), for files decided day-first.
  `CREATE OR REPLACE TEMP MACRO signet_ts_dmy(x) AS CASE
     WHEN contains(x, '/') THEN try_strptime(trim(x), ${list(DAY_FIRST)})
     ELSE signet_ts(x) END`,
  `CREATE OR REPLACE TEMP MACRO signet_int(x) AS try_cast(signet_trimmed(x) AS INTEGER)`,
  `CREATE OR REPLACE TEMP MACRO signet_bigint(x) AS try_cast(signet_trimmed(x) AS BIGINT)`,
  `CREATE OR REPLACE TEMP MACRO signet_bool(x) AS CASE lower(signet_trimmed(x))
     WHEN 'true' THEN true WHEN 'yes' THEN true WHEN '1' THEN true
     WHEN 'false' THEN false WHEN 'no' THEN false WHEN '0' THEN false END`,
  // Status is the class of the error code, the same way for the same event in every shape;
  // a shape's own status text decides only when the record has no code, and a text that
  // disagrees with the code stays in the original record.
  `CREATE OR REPLACE TEMP MACRO signet_status(txt, code) AS CASE
     WHEN code = 0 THEN 'success'
     -- A list, not IN (…): a long IN list becomes a join, which stops DuckDB from inserting in parallel.
     WHEN list_contains([${INTERRUPT_CODES.join(', ')}], code) THEN 'interrupted'
     WHEN code IS NOT NULL THEN 'failure'
     WHEN lower(signet_trimmed(txt)) IN ('success', 'succeeded') THEN 'success'
     WHEN lower(signet_trimmed(txt)) LIKE 'interrupt%' THEN 'interrupted'
     WHEN lower(signet_trimmed(txt)) IN ('failure', 'failed') THEN 'failure'
     END`,
  // The portal leaves the error code of a success empty; 0 is what every other shape writes.
  `CREATE OR REPLACE TEMP MACRO signet_error_code(code, txt) AS coalesce(code,
     CASE WHEN lower(signet_trimmed(txt)) IN ('success', 'succeeded') THEN 0 END)`,
  // A country code is kept upper-case; anything else the source wrote is kept as written.
  `CREATE OR REPLACE TEMP MACRO signet_cc(x) AS CASE
     WHEN length(signet_trimmed(x)) = 2 THEN upper(signet_trimmed(x)) ELSE signet_trimmed(x) END`,
  // Coordinates are stored only as a valid pair: out of range, swapped (|lat| > 90) or the
  // (0, 0) placeholder give NULL for both, so a map never shows a made-up place.
  `CREATE OR REPLACE TEMP MACRO signet_coord_ok(lat, lon) AS
     try_cast(lat AS DOUBLE) BETWEEN -90 AND 90 AND try_cast(lon AS DOUBLE) BETWEEN -180 AND 180
     AND NOT (try_cast(lat AS DOUBLE) = 0 AND try_cast(lon AS DOUBLE) = 0)`,
  `CREATE OR REPLACE TEMP MACRO signet_lat(lat, lon) AS CASE WHEN signet_coord_ok(lat, lon) THEN try_cast(lat AS DOUBLE) END`,
  `CREATE OR REPLACE TEMP MACRO signet_lon(lat, lon) AS CASE WHEN signet_coord_ok(lat, lon) THEN try_cast(lon AS DOUBLE) END`,
  `CREATE OR REPLACE TEMP MACRO signet_json(x) AS CASE WHEN signet_txt(x) IS NOT NULL AND json_valid(x) THEN CAST(x AS JSON) END`,
  // A JSON value read as JSON: kept as it is, unless it is a string, whose text may itself be
  // JSON (as signet_json reads it). Arrays and objects are not parsed a second time.
  `CREATE OR REPLACE TEMP MACRO signet_json_value(x) AS CASE WHEN starts_with(x, '"') THEN signet_json(x->>'$') ELSE x END`,
  // A field kept as JSON whatever it holds: JSON text as JSON, any other text as a JSON string
  // (nothing is turned into NULL because it is not JSON).
  `CREATE OR REPLACE TEMP MACRO signet_json_text(x) AS CASE
     WHEN signet_txt(x) IS NULL THEN NULL WHEN json_valid(x) THEN CAST(x AS JSON) ELSE to_json(CAST(x AS VARCHAR)) END`,
  // The same for a value read as JSON: a string holding JSON is that JSON, any other string stays a string.
  `CREATE OR REPLACE TEMP MACRO signet_json_keep(x) AS CASE WHEN starts_with(x, '"') THEN signet_json_text(x->>'$') ELSE x END`,
  // JSON array of strings (or a comma separated text) to "a,b,c".
  `CREATE OR REPLACE TEMP MACRO signet_joined(x) AS CASE
     WHEN signet_txt(x) IS NULL THEN NULL
     WHEN json_valid(x) AND json_type(x) = 'ARRAY' THEN nullif(array_to_string(json_extract_string(x, '$[*]'), ','), '')
     ELSE signet_txt(x) END`,
  // "City, State, CC": split from the right because parts may be empty and cities may hold commas.
  `CREATE OR REPLACE TEMP MACRO signet_loc_country(x) AS signet_cc(list_extract(string_split(x, ','), -1))`,
  `CREATE OR REPLACE TEMP MACRO signet_loc_state(x) AS CASE WHEN len(string_split(x, ',')) >= 2 THEN signet_trimmed(list_extract(string_split(x, ','), -2)) END`,
  `CREATE OR REPLACE TEMP MACRO signet_loc_city(x) AS CASE WHEN len(string_split(x, ',')) >= 3
     THEN signet_trimmed(array_to_string(string_split(x, ',')[1:len(string_split(x, ',')) - 2], ',')) END`,
];

export async function installMacros(con: DuckDBConnection): Promise<void> {
  for (const m of MACROS) await con.run(m);
  for (const m of vocabularyMacros()) await con.run(m);
}
