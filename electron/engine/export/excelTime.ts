import { UserError } from '../errors';

// Excel keeps a date-time as days since 1899-12-30 on a wall clock with no zone. An export
// writes each instant on the wall clock of the zone the user chose, so the spreadsheet
// shows what the grid shows; the ISO-8601 UTC text beside it keeps the instant itself.

const MS_PER_DAY = 86_400_000;
/** 1970-01-01 as an Excel serial day (1900 date system). */
const UNIX_EPOCH_DAY = 25_569;
/** Offsets are looked up once per quarter hour: every zone changes its offset on one. */
const BUCKET_MS = 15 * 60_000;

/** The zone name to use, or a clear error: 'UTC' or an IANA name such as Europe/Berlin. */
export function checkTimeZone(zone: string | undefined): string {
  const z = zone?.trim() || 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
  } catch {
    throw new UserError(`Unknown time zone "${z.slice(0, 80)}": use UTC or an IANA name such as Europe/Berlin`, 'bad_time_zone');
  }
}

export class ExcelClock {
  private readonly offsets = new Map<number, number>();
  private readonly parts: Intl.DateTimeFormat | null;

  constructor(readonly zone: string) {
    this.parts =
      zone === 'UTC'
        ? null
        : new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }

  /** The zone's offset from UTC at an instant, in milliseconds. */
  private offsetMs(ms: number): number {
    if (!this.parts) return 0;
    const bucket = Math.floor(ms / BUCKET_MS);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      const at = bucket * BUCKET_MS;
      const p: Record<string, number> = {};
      for (const x of this.parts.formatToParts(new Date(at))) if (x.type !== 'literal') p[x.type] = Number(x.value);
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
      this.offsets.set(bucket, off);
    }
    return off;
  }

  /** An ISO-8601 UTC instant as an Excel serial date-time on this zone's wall clock; null when no instant. */
  serial(isoUtc: string): number | null {
    const ms = Date.parse(isoUtc);
    if (!Number.isFinite(ms)) return null;
    return (ms + this.offsetMs(ms)) / MS_PER_DAY + UNIX_EPOCH_DAY;
  }
}
