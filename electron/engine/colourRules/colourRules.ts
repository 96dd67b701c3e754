import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CaseSession } from '../case/caseSession';
import type { SqlFragment } from '../query/filterSql';
import { whereSql } from '../query/filterSql';
import { filterState, type FilterState } from '../query/filterModel';
import { appendAudit } from '../custody/audit';
import { UserError } from '../errors';
import { createTableSql } from '../schema/createTable';
import { describeFilter } from '../export/describeFilter';
import { RULE_COLOURS, RULE_PALETTE, type RuleColour } from './palette';

// Rules that colour rows: a condition in the filter model, a colour, in priority order.
// The first enabled rule whose condition holds gives the row its colour; the engine decides
// that in SQL (colourRuleIndexSql), so the grid, the timeline and exports agree.

export const COLOUR_RULE_TABLES: string[] = [
  createTableSql('colour_rules', {
    id: 'VARCHAR PRIMARY KEY',
    position: 'INTEGER NOT NULL',
    name: 'VARCHAR NOT NULL',
    condition: 'JSON NOT NULL',
    colour: 'VARCHAR NOT NULL',
    enabled: 'BOOLEAN NOT NULL',
    builtin: 'VARCHAR',
    created_at: 'TIMESTAMP NOT NULL',
  }),
];

export interface ColourRule {
  id: string;
  name: string;
  condition: FilterState;
  colour: RuleColour;
  enabled: boolean;
  /** Set on the rules Signet starts with ('failures', 'findings'): they can be turned off, not deleted. */
  builtin: string | null;
}

export const colourRuleInput = z.object({
  name: z.string().max(120),
  condition: filterState,
  colour: z.enum(RULE_COLOURS),
  enabled: z.boolean().default(true),
});
export type ColourRuleInput = z.input<typeof colourRuleInput>;

/** Rules a case starts with, until its rules are first changed. */
export const DEFAULT_COLOUR_RULES: readonly ColourRule[] = [
  { id: 'default-findings', name: 'In a finding', condition: { conditions: [{ kind: 'finding', label: 'any finding' }] }, colour: 'purple', enabled: true, builtin: 'findings' },
  { id: 'default-failures', name: 'Failed sign-ins', condition: { conditions: [{ kind: 'values', column: 'status', values: ['failure'] }] }, colour: 'red', enabled: true, builtin: 'failures' },
];

/**
 * The SQL expression, over one sign-in row (columns unqualified, as in a WHERE clause on
 * `signins`), whose value is the index in `rules` of the first enabled rule the row meets,
 * or NULL when it meets none. Values come only as parameters.
 */
export function colourRuleIndexSql(rules: readonly Pick<ColourRule, 'condition' | 'enabled'>[]): SqlFragment {
  const arms: string[] = [];
  const params: SqlFragment['params'] = [];
  rules.forEach((r, i) => {
    if (!r.enabled) return;
    const w = whereSql(r.condition);
    arms.push(`WHEN coalesce(${w.sql}, false) THEN ${i}`);
    params.push(...w.params);
  });
  if (!arms.length) return { sql: 'CAST(NULL AS INTEGER)', params: [] };
  return { sql: `(CASE ${arms.join(' ')} END)`, params };
}

type Row = {
  id: string;
  name: string;
  condition: string;
  colour: string;
  enabled: boolean;
  builtin: string | null;
};

async function storedRules(session: CaseSession): Promise<ColourRule[] | null> {
  const rows = await session.db.all<Row>(`SELECT id, name, CAST(condition AS VARCHAR) AS condition, colour, enabled, builtin FROM colour_rules ORDER BY position, id`);
  if (!rows.length) return null;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    condition: filterState.parse(JSON.parse(r.condition)),
    colour: (RULE_COLOURS as readonly string[]).includes(r.colour) ? (r.colour as RuleColour) : 'grey',
    enabled: Boolean(r.enabled),
    builtin: r.builtin,
  }));
}

/** The case's rules in priority order (the defaults while it has never changed them). */
export async function listColourRules(session: CaseSession): Promise<ColourRule[]> {
  return (await storedRules(session)) ?? DEFAULT_COLOUR_RULES.map((r) => ({ ...r, condition: structuredClone(r.condition) }));
}

/** Replace the stored list with `rules` (positions in order), as one audited change. */
async function store(session: CaseSession, rules: ColourRule[], detail: Record<string, unknown> & { action: string }): Promise<ColourRule[]> {
  const { action, ...rest } = detail;
  await session.db.run('BEGIN TRANSACTION');
  try {
    await session.db.run(`DELETE FROM colour_rules`);
    for (const [i, r] of rules.entries()) {
      await session.db.run(`INSERT INTO colour_rules VALUES (?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)`, [r.id, i, r.name, JSON.stringify(r.condition), r.colour, r.enabled, r.builtin]);
    }
    await session.db.run('COMMIT');
  } catch (err) {
    await session.db.run('ROLLBACK');
    throw err;
  }
  await appendAudit(session, { action, detail: rest, tables: ['colour_rules'] });
  session.changed();
  return listColourRules(session);
}

/** Refuse a condition the engine cannot compile (unknown column, bad regex) before it is kept. */
function checkCondition(condition: FilterState): void {
  whereSql(condition);
}

function find(rules: ColourRule[], id: string): ColourRule {
  const r = rules.find((x) => x.id === id);
  if (!r) throw new UserError(`No colour rule with id ${id.slice(0, 64)} in this case.`, 'not_found');
  return r;
}

export async function addColourRule(session: CaseSession, input: ColourRuleInput): Promise<ColourRule[]> {
  session.requireWritable('adding a colour rule (rules are kept in the case)');
  const r = colourRuleInput.parse(input);
  checkCondition(r.condition);
  const name = r.name.trim() || describeFilter(r.condition).slice(0, 120);
  const rules = await listColourRules(session);
  const rule: ColourRule = { id: randomUUID(), name, condition: r.condition, colour: r.colour, enabled: r.enabled, builtin: null };
  // A new rule goes first: what the user adds now is usually what they want to see over the defaults.
  return store(session, [rule, ...rules], { action: 'colour-rule.add', ruleId: rule.id, name, colour: r.colour, condition: describeFilter(r.condition) });
}

export async function updateColourRule(session: CaseSession, id: string, patch: { name?: string; colour?: RuleColour; enabled?: boolean }): Promise<ColourRule[]> {
  session.requireWritable('changing a colour rule');
  const rules = await listColourRules(session);
  const r = find(rules, id);
  const next: ColourRule = { ...r, name: patch.name?.trim() || r.name, colour: patch.colour ?? r.colour, enabled: patch.enabled ?? r.enabled };
  return store(
    session,
    rules.map((x) => (x.id === id ? next : x)),
    { action: 'colour-rule.update', ruleId: id, name: next.name, colour: next.colour, enabled: next.enabled },
  );
}

export async function moveColourRule(session: CaseSession, id: string, to: number): Promise<ColourRule[]> {
  session.requireWritable('reordering colour rules');
  const rules = await listColourRules(session);
  const r = find(rules, id);
  const rest = rules.filter((x) => x.id !== id);
  const at = Math.max(0, Math.min(rest.length, to));
  rest.splice(at, 0, r);
  return store(session, rest, { action: 'colour-rule.move', ruleId: id, name: r.name, position: at });
}

export async function deleteColourRule(session: CaseSession, id: string): Promise<ColourRule[]> {
  session.requireWritable('deleting a colour rule');
  const rules = await listColourRules(session);
  const r = find(rules, id);
  if (r.builtin) throw new UserError(`"${r.name}" is one of Signet's default rules: turn it off instead of deleting it.`, 'builtin_rule');
  return store(
    session,
    rules.filter((x) => x.id !== id),
    { action: 'colour-rule.delete', ruleId: id, name: r.name, condition: describeFilter(r.condition) },
  );
}

/** For each row id, the index (in `rules`) of the first rule it meets; rows meeting none are left out. */
export async function ruleIndexForRows(session: CaseSession, rules: readonly ColourRule[], rowIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!rowIds.length || !rules.some((r) => r.enabled)) return out;
  const idx = colourRuleIndexSql(rules);
  const rows = await session.db.all<{ row_id: string | number; r: number | null }>(
    `SELECT row_id, ${idx.sql} AS r FROM signins WHERE list_contains(CAST(? AS BIGINT[]), row_id)`,
    [...idx.params, `[${rowIds.map((n) => Math.trunc(n)).join(',')}]`],
  );
  for (const row of rows) if (row.r !== null && row.r !== undefined) out.set(Number(row.row_id), Number(row.r));
  return out;
}

/** Rows each rule colours under the whole case (first match wins), for the legend. */
export async function colourRuleCounts(session: CaseSession, rules: readonly ColourRule[]): Promise<number[]> {
  const counts = rules.map(() => 0);
  if (!rules.some((r) => r.enabled)) return counts;
  const idx = colourRuleIndexSql(rules);
  const rows = await session.db.all<{ r: number; n: string }>(`SELECT r, count(*) AS n FROM (SELECT ${idx.sql} AS r FROM signins) WHERE r IS NOT NULL GROUP BY r`, idx.params);
  for (const row of rows) counts[Number(row.r)] = Number(row.n);
  return counts;
}

/** The case's enabled rules as an export takes them: a row test and its fill ('#rrggbb', the light tint), in priority order. */
export async function exportColourRules(session: CaseSession): Promise<{ where: SqlFragment; fill: string }[]> {
  return (await listColourRules(session))
    .filter((r) => r.enabled)
    .map((r) => {
      const w = whereSql(r.condition);
      return { where: { sql: `coalesce(${w.sql}, false)`, params: w.params }, fill: RULE_PALETTE[r.colour].light };
    });
}
