import type { FilterState } from '../query/filterModel';
import { UserError } from '../errors';
import type { CaseSession } from '../case/caseSession';
import { appendAudit } from '../custody/audit';
import { whereSql } from '../query/filterSql';
import { SIGNINS_TABLE } from '../schema/canonical';

export interface Tag {
  tagId: number;
  name: string;
  color: string;
  rows: number;
}

/** What a tag operation applies to: explicit rows, or every row a filter matches. */
export type TagTarget = { rowIds: number[] } | { filter: FilterState };

const COLOR = /^#[0-9a-fA-F]{6}$/;

export async function listTags(session: CaseSession): Promise<Tag[]> {
  const rows = await session.db.all<{ tag_id: number; name: string; color: string; n: string }>(
    `SELECT t.tag_id, t.name, t.color, count(rt.row_id) AS n
     FROM tags t LEFT JOIN row_tags rt ON rt.tag_id = t.tag_id
     GROUP BY ALL ORDER BY t.tag_id`,
  );
  return rows.map((r) => ({ tagId: Number(r.tag_id), name: r.name, color: r.color, rows: Number(r.n) }));
}

async function requireTag(session: CaseSession, tagId: number): Promise<{ name: string }> {
  const tag = await session.db.one<{ name: string }>(`SELECT name FROM tags WHERE tag_id = ?`, [tagId]);
  if (!tag) throw new UserError(`There is no tag with id ${tagId}`, 'no_tag');
  return tag;
}

export async function createTag(session: CaseSession, name: string, color: string): Promise<Tag> {
  const clean = name.trim();
  if (!clean) throw new UserError('A tag needs a name', 'bad_tag');
  if (!COLOR.test(color)) throw new UserError(`Tag colour must look like #rrggbb, got ${color.slice(0, 20)}`, 'bad_tag');
  const exists = await session.db.one(`SELECT 1 FROM tags WHERE lower(name) = lower(?)`, [clean]);
  if (exists) throw new UserError(`A tag named "${clean}" already exists`, 'bad_tag');
  const id = Number(await session.db.scalar(`SELECT coalesce(max(tag_id), 0) + 1 FROM tags`));
  await session.db.run(`INSERT INTO tags VALUES (?, ?, ?, now()::TIMESTAMP)`, [id, clean, color]);
  await appendAudit(session, { action: 'tag.create', detail: { tagId: id, name: clean, color }, tables: ['tags'] });
  session.changed();
  return { tagId: id, name: clean, color, rows: 0 };
}

export async function updateTag(session: CaseSession, tagId: number, patch: { name?: string; color?: string }): Promise<void> {
  const before = await requireTag(session, tagId);
  if (patch.color !== undefined && !COLOR.test(patch.color)) throw new UserError('Tag colour must look like #rrggbb', 'bad_tag');
  const name = patch.name?.trim();
  if (name !== undefined && !name) throw new UserError('A tag needs a name', 'bad_tag');
  if (name) await session.db.run(`UPDATE tags SET name = ? WHERE tag_id = ?`, [name, tagId]);
  if (patch.color) await session.db.run(`UPDATE tags SET color = ? WHERE tag_id = ?`, [patch.color, tagId]);
  await appendAudit(session, { action: 'tag.update', detail: { tagId, from: before.name, ...patch }, tables: ['tags'] });
  session.changed();
}

export async function deleteTag(session: CaseSession, tagId: number): Promise<void> {
  const tag = await requireTag(session, tagId);
  const n = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [tagId]));
  await session.db.run(`DELETE FROM row_tags WHERE tag_id = ?`, [tagId]);
  await session.db.run(`DELETE FROM tags WHERE tag_id = ?`, [tagId]);
  await appendAudit(session, { action: 'tag.delete', detail: { tagId, name: tag.name, rowsUntagged: n }, tables: ['tags', 'row_tags'] });
  session.changed();
}

/** SELECT of the row ids a target names, as a parameterised fragment. */
function targetRows(target: TagTarget): { sql: string; params: (string | number)[] } {
  if ('rowIds' in target) {
    return { sql: `SELECT row_id FROM ${SIGNINS_TABLE} WHERE list_contains(CAST(? AS BIGINT[]), row_id)`, params: [`[${target.rowIds.map((n) => Math.trunc(n)).join(',')}]`] };
  }
  const where = whereSql(target.filter);
  return { sql: `SELECT row_id FROM ${SIGNINS_TABLE} WHERE ${where.sql}`, params: where.params as (string | number)[] };
}

function describeTarget(target: TagTarget): Record<string, unknown> {
  if ('rowIds' in target) return target.rowIds.length <= 50 ? { rowIds: target.rowIds } : { rowCount: target.rowIds.length, firstRowIds: target.rowIds.slice(0, 50) };
  const where = whereSql(target.filter);
  return { filter: target.filter, where: where.sql };
}

/** Tag rows in one statement (a whole filtered set is one INSERT … SELECT). Returns rows newly tagged. */
export async function tagRows(session: CaseSession, tagId: number, target: TagTarget): Promise<number> {
  const tag = await requireTag(session, tagId);
  const rows = targetRows(target);
  const before = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [tagId]));
  await session.db.run(
    `INSERT INTO row_tags (row_id, tag_id, tagged_at)
     SELECT row_id, ?, now()::TIMESTAMP FROM (${rows.sql}) ON CONFLICT DO NOTHING`,
    [tagId, ...rows.params],
  );
  const after = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [tagId]));
  await appendAudit(session, { action: 'tag.apply', detail: { tagId, name: tag.name, added: after - before, ...describeTarget(target) }, tables: ['row_tags'] });
  session.changed();
  return after - before;
}

export async function untagRows(session: CaseSession, tagId: number, target: TagTarget): Promise<number> {
  const tag = await requireTag(session, tagId);
  const rows = targetRows(target);
  const before = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [tagId]));
  await session.db.run(`DELETE FROM row_tags WHERE tag_id = ? AND row_id IN (${rows.sql})`, [tagId, ...rows.params]);
  const after = Number(await session.db.scalar(`SELECT count(*) FROM row_tags WHERE tag_id = ?`, [tagId]));
  await appendAudit(session, { action: 'tag.remove', detail: { tagId, name: tag.name, removed: before - after, ...describeTarget(target) }, tables: ['row_tags'] });
  session.changed();
  return before - after;
}

/** Tag ids per row for a page of rows. */
export async function tagsForRows(session: CaseSession, rowIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (!rowIds.length) return out;
  const rows = await session.db.all<{ row_id: string; tag_id: number }>(
    `SELECT row_id, tag_id FROM row_tags WHERE list_contains(CAST(? AS BIGINT[]), row_id) ORDER BY tag_id`,
    [`[${rowIds.map((n) => Math.trunc(n)).join(',')}]`],
  );
  for (const r of rows) {
    const id = Number(r.row_id);
    const list = out.get(id) ?? [];
    list.push(Number(r.tag_id));
    out.set(id, list);
  }
  return out;
}
