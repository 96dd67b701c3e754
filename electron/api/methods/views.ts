import { z } from 'zod';
import { method } from '../method';
import { viewState } from '../../engine/savedViews/viewState';
import { filterState } from '../schemas/filter';
import { RULE_COLOURS } from '../../engine/colourRules/palette';

export { RULE_COLOURS, RULE_PALETTE, type RuleColour } from '../../engine/colourRules/palette';
export type { ViewStateInput } from '../../engine/savedViews/viewState';

// Saved views (named grid states kept in the case) and colour rules (rows coloured by a
// filter condition, first matching rule wins). Every change is an audit entry.

const viewId = z.string().uuid();
const viewName = z.string().min(1).max(120);

export const savedView = z.object({
  id: z.string(),
  name: z.string(),
  state: viewState,
  filterText: z.string(),
  sortText: z.string(),
  createdAt: z.string(),
  lastAppliedAt: z.string().nullable(),
});

const ruleId = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/);
const colour = z.enum(RULE_COLOURS);

export const colourRule = z.object({
  id: z.string(),
  name: z.string(),
  condition: filterState,
  colour,
  enabled: z.boolean(),
  builtin: z.string().nullable(),
  /** Rows of the case this rule colours (rules above it take their rows first). */
  rows: z.number(),
  /** The condition in words. */
  conditionText: z.string(),
});

const ruleList = z.array(colourRule);

export type SavedViewInfo = z.infer<typeof savedView>;
export type ColourRuleInfo = z.infer<typeof colourRule>;

export const viewsMethods = {
  listSavedViews: method(z.object({}), z.array(savedView), 'Saved views of this case, by name.'),
  saveView: method(z.object({ name: viewName, state: viewState }), savedView, 'Save the current grid view (filter, search, sort, columns, time zone, grouping) under a name; audited.'),
  renameView: method(z.object({ id: viewId, name: viewName }), savedView, 'Rename a saved view; audited.'),
  deleteView: method(z.object({ id: viewId }), z.object({}), 'Delete a saved view; audited.'),
  applyView: method(z.object({ id: viewId }), savedView, 'A saved view to bring back; its use is audited and shown in the report.'),
  listColourRules: method(z.object({}), ruleList, 'Colour rules in priority order, with the rows each colours.'),
  addColourRule: method(
    z.object({ name: z.string().max(120), condition: filterState, colour, enabled: z.boolean().optional() }),
    ruleList,
    'Add a colour rule (a filter condition and a colour) at the top of the list; audited.',
  ),
  updateColourRule: method(
    z.object({ id: ruleId, name: z.string().max(120).optional(), colour: colour.optional(), enabled: z.boolean().optional() }),
    ruleList,
    'Rename, recolour, turn on or off a colour rule; audited.',
  ),
  moveColourRule: method(z.object({ id: ruleId, to: z.number().int().min(0).max(1000) }), ruleList, 'Move a colour rule to another priority; audited.'),
  deleteColourRule: method(z.object({ id: ruleId }), ruleList, 'Delete a colour rule (default rules can only be turned off); audited.'),
};
