import type { Database } from '../db/database';
import { esc, table } from './html';
import type { CaseTables } from './reportData';
import { describeFilter, describeSort } from '../export/describeFilter';
import { filterState } from '../query/filterModel';
import { viewState } from '../savedViews/viewState';

const VIEWS_SQL = `SELECT name, CAST(state AS VARCHAR) AS state, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created, strftime(last_applied_at, '%Y-%m-%d %H:%M:%S') AS applied
FROM saved_views ORDER BY lower(name), id`;
const RULES_SQL = `SELECT position, name, CAST(condition AS VARCHAR) AS condition, colour, enabled FROM colour_rules ORDER BY position, id`;

/** The views the analyst saved (with their filter in words and when each was last applied) and the colour rules. */
export async function viewsSection(db: Database, tables: CaseTables, record: (title: string, sql: string) => void): Promise<string> {
  const parts: string[] = [];
  if (tables.has('saved_views', 'state')) {
    record('Saved views', VIEWS_SQL);
    const rows = await db.all<{ name: string; state: string; created: string; applied: string | null }>(VIEWS_SQL);
    parts.push(
      rows.length
        ? table(
            ['View', 'Filter', 'Sort', 'Time zone', 'Saved (UTC)', 'Last applied (UTC)'],
            rows.map((r) => {
              const v = viewState.safeParse(JSON.parse(r.state));
              return v.success ? [r.name, describeFilter(v.data.filter), describeSort(v.data.sort), v.data.timeZone, r.created, r.applied ?? 'never'] : [r.name, '(unreadable view)', '', '', r.created, r.applied ?? 'never'];
            }),
            { nowrap: [4, 5] },
          )
        : '<p class="empty">This case has no saved views.</p>',
    );
  }
  if (tables.has('colour_rules', 'condition')) {
    record('Colour rules', RULES_SQL);
    const rows = await db.all<{ position: number; name: string; condition: string; colour: string; enabled: boolean }>(RULES_SQL);
    if (rows.length) {
      parts.push('<h3>Colour rules</h3><p>The first enabled rule a row meets gives it its colour.</p>');
      parts.push(
        table(
          ['Priority', 'Rule', 'Condition', 'Colour', 'On'],
          rows.map((r) => {
            const c = filterState.safeParse(JSON.parse(r.condition));
            return [Number(r.position) + 1, r.name, c.success ? describeFilter(c.data) : '(unreadable condition)', r.colour, r.enabled ? 'yes' : 'no'];
          }),
          { numeric: [0] },
        ),
      );
    }
  }
  return `<section id="views">\n<h2>${esc('Saved views and colour rules')}</h2>\n${parts.join('\n') || '<p class="empty">This case has no saved views.</p>'}\n</section>`;
}
