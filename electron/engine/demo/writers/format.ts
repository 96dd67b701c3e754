// Small value formatters shared by the writers.

export function isoSeconds(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Event Hub style: seven fractional digits and an explicit +00:00 offset. */
export function isoOffset7(t: number, extraTicks = 0): string {
  const base = new Date(t).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}.${String(extraTicks).padStart(7, '0')}+00:00`;
}

export function isoZ7(t: number, extraTicks = 0): string {
  const base = new Date(t).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}.${String(extraTicks).padStart(7, '0')}Z`;
}

/** RFC 4180 quoting: only fields with a quote, comma or line break are quoted. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The tenant that owns Microsoft's first-party applications. */
export const MICROSOFT_APP_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
