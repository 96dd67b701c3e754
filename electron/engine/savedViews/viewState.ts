import { z } from 'zod';
import { columnName, filterState, sortSpec } from '../query/filterModel';
import { groupColumn, groupSortKey } from '../query/groupModel';

// What a saved view brings back. An object with a version, so later members (a chart
// choice, a detail pane) can be added as optional fields and older views still load.

export const viewColumn = z.object({
  name: columnName,
  hidden: z.boolean().optional(),
  pinned: z.enum(['left', 'right']).nullable().optional(),
  width: z.number().int().min(20).max(2000).optional(),
});

/** Group-by of the grid: the columns rows are grouped on, outermost first, and how the groups are sorted. */
export const viewGrouping = z.object({
  columns: z.array(groupColumn).min(1).max(2),
  sort: z.object({ key: groupSortKey, dir: z.enum(['asc', 'desc']) }).optional(),
});

export const viewState = z.object({
  version: z.literal(1).default(1),
  filter: filterState,
  sort: sortSpec,
  /** Every column in display order, with its width and whether it is hidden. */
  columns: z.array(viewColumn).max(200),
  autoHideEmpty: z.boolean().optional(),
  /** The column set the layout came from, when unchanged since. */
  preset: z.string().max(64).optional(),
  /** 'UTC', 'local' or an IANA zone name. */
  timeZone: z.string().min(1).max(64).regex(/^[A-Za-z0-9_+\-/]+$/),
  grouping: viewGrouping.nullable().optional(),
});

export type ViewState = z.infer<typeof viewState>;
export type ViewStateInput = z.input<typeof viewState>;
