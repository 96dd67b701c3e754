import { z } from 'zod';
import { method } from '../method';
import { filterState } from '../schemas/filter';
import { RULE_COLOURS } from '../../engine/colourRules/palette';

// Timeline view: histogram, lanes and the rows behind a bucket or mark. Times on the
// wire are epoch milliseconds (UTC instants); the display zone only changes where day
// and 6-hour buckets start.

export const stackBy = z.enum(['status', 'log_type', 'user', 'ip', 'app', 'country']);
export const laneBy = z.enum(['user', 'ip', 'session']);
export const bucketId = z.enum(['1m', '5m', '15m', '1h', '6h', '1d']);
const epochMs = z.number().int().min(0).max(8.64e15);
const timeRange = z.object({ from: epochMs, to: epochMs }).refine((r) => r.to > r.from, 'range.to must be after range.from');
const timeZone = z.string().min(1).max(64).regex(/^[A-Za-z0-9_+\-/]+$/);
const span = z.object({ from: z.number(), to: z.number() });
const bucketMark = z.object({ start: z.number(), end: z.number(), count: z.number() });

export const histogramResult = z.object({
  zone: z.string(),
  extent: span.nullable(),
  total: z.number(),
  undated: z.number(),
  bucket: z.object({ id: bucketId, label: z.string(), ms: z.number() }),
  window: span.nullable(),
  starts: z.array(z.number()),
  ends: z.array(z.number()),
  series: z.array(z.object({ key: z.string().nullable(), label: z.string(), kind: z.enum(['value', 'other']) })),
  counts: z.array(z.array(z.number())),
  spikes: z.array(z.object({ start: z.number(), end: z.number(), count: z.number(), median: z.number() })),
  gaps: z.array(span),
  tagged: z.array(bucketMark),
  findings: z.array(bucketMark),
});

export const lanesResult = z.object({
  by: laneBy,
  column: z.string(),
  window: span.nullable(),
  bucketMs: z.number(),
  lanes: z.array(
    z.object({
      key: z.string().nullable(),
      label: z.string(),
      total: z.number(),
      success: z.number(),
      failure: z.number(),
      interrupted: z.number(),
      firstSeen: z.number().nullable(),
      lastSeen: z.number().nullable(),
      aggregated: z.boolean(),
    }),
  ),
  marks: z.object({
    lane: z.array(z.number()),
    t: z.array(z.number()),
    end: z.array(z.number()),
    status: z.array(z.number()),
    rowId: z.array(z.number()),
    n: z.array(z.number()),
    flags: z.array(z.number()),
    /** Per mark of one sign-in: the index in colourRules of the first colour rule it meets, else -1. */
    rule: z.array(z.number()).optional(),
  }),
  /** The case's colour rules (name and colour), for the marks' rule index. */
  colourRules: z.array(z.object({ name: z.string(), colour: z.enum(RULE_COLOURS) })).optional(),
});

export type HistogramResult = z.infer<typeof histogramResult>;
export type LanesResult = z.infer<typeof lanesResult>;
export type StackBy = z.infer<typeof stackBy>;
export type LaneBy = z.infer<typeof laneBy>;

export const timelineMethods = {
  timelineHistogram: method(
    z.object({
      filter: filterState,
      timeZone,
      range: timeRange.optional(),
      stackBy: stackBy.default('status'),
      topN: z.number().int().min(1).max(20).default(8),
      bucket: bucketId.optional(),
    }),
    histogramResult,
    'Sign-ins per time bucket under the filter, stacked by status, log type or the top N users/IPs/apps/countries, with spikes, gaps and tag/finding marks. The bucket size follows the visible span.',
  ),
  timelineLanes: method(
    z.object({
      filter: filterState,
      timeZone,
      range: timeRange.optional(),
      by: laneBy.default('user'),
      topN: z.number().int().min(1).max(100).default(20),
      values: z.array(z.string().max(500).nullable()).max(100).optional(),
      maxMarksPerLane: z.number().int().min(10).max(5000).default(400),
    }),
    lanesResult,
    'One lane per user, IP or session (top N under the filter, or the ones named), each sign-in a mark; dense lanes come as per-bucket counts.',
  ),
  timelineLaneDistinct: method(
    z.object({
      filter: filterState,
      range: timeRange,
      lane: z.object({ by: laneBy, value: z.string().max(500).nullable() }),
    }),
    z.object({ distinct: z.number() }),
    "Distinct IP addresses (user and session lanes) or users (IP lanes) of one lane under the filter in the range: the lane card's figure, asked when it opens.",
  ),
  timelineRowIds: method(
    z.object({
      filter: filterState,
      range: timeRange,
      lane: z.object({ by: laneBy, value: z.string().max(500).nullable() }).optional(),
      status: z.number().int().min(0).max(3).optional(),
      limit: z.number().int().min(1).max(200000).default(200000),
    }),
    z.object({ rowIds: z.array(z.number()), truncated: z.boolean() }),
    'Row ids behind a timeline bucket or aggregate mark (time order), to select them in the grid.',
  ),
};
