import { z } from 'zod';
import { method } from '../method';
import { INDICATOR_TYPES } from '../../engine/sweep/indicators';

// IOC sweeps: an indicator list matched against the case, hits kept per indicator.

const indicatorResult = z.object({
  line: z.number(),
  indicator: z.string(),
  type: z.enum(INDICATOR_TYPES),
  rows: z.number(),
  users: z.number(),
  successes: z.number(),
  first_utc: z.string().nullable(),
  last_utc: z.string().nullable(),
});

export const sweepResult = z.object({
  id: z.string(),
  name: z.string(),
  sha256: z.string(),
  indicators: z.array(indicatorResult),
  problems: z.array(z.object({ line: z.number(), text: z.string(), reason: z.string() })),
  rows: z.number(),
  tagged: z.number(),
  tag: z.string().nullable(),
});

export const sweepMethods = {
  runSweep: method(
    z.object({ list: z.string().max(8_000_000), name: z.string().max(200).optional(), tag: z.string().max(100).nullable().optional() }),
    sweepResult,
    'Sweep the case for an indicator list (one a line, # comments); hits are kept per indicator, optionally tagged; audited with the list SHA-256.',
  ),
  listSweeps: method(
    z.object({}),
    z.array(z.object({ id: z.string(), name: z.string(), sha256: z.string(), indicators: z.number(), rows: z.number(), tag: z.string().nullable(), createdAt: z.string() })),
    'Sweeps run on this case, oldest first.',
  ),
};
