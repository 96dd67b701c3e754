import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { sqlMethods } from '../methods/sql';
import { consoleFor, resultPage, runReadOnlyQuery, QueryFailure } from '../../engine/sql/readOnlyQuery';
import { describeCase, functionNames } from '../../engine/sql/schemaBrowser';
import { EXAMPLE_QUERIES } from '../../engine/sql/examples';
import { deleteSaved, listHistory, listSaved, saveQuery } from '../../engine/sql/queryStore';
import { exportResult } from '../../engine/sql/resultExport';
import { appendAudit } from '../../engine/custody/audit';

function userFacing<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof QueryFailure) throw new UserError(err.message, `sql_${err.kind}`);
    throw err;
  });
}

export const sqlHandlers: HandlersFor<typeof sqlMethods> = {
  async sqlRun({ sql, pageSize, timeoutMs }, { engine }) {
    const session = engine.requireCase();
    const t0 = performance.now();
    try {
      const r = await runReadOnlyQuery(session, sql, { pageSize, timeoutMs, source: 'console' });
      return { ok: true as const, ...r };
    } catch (err) {
      if (!(err instanceof QueryFailure)) throw err;
      return { ok: false as const, outcome: err.kind, message: err.message, line: err.line, column: err.column, durationMs: Math.round(performance.now() - t0) };
    }
  },
  async sqlPage({ resultId, start, end, sort }, { engine }) {
    return userFacing(resultPage(engine.requireCase(), resultId, start, end, sort ?? []));
  },
  async sqlCancel(_args, { engine }) {
    const session = engine.current;
    return { cancelled: session ? consoleFor(session).cancel() : false };
  },
  async sqlSchema({ refresh }, { engine }) {
    const c = consoleFor(engine.requireCase());
    const tables = await c.inspect(describeCase, refresh ?? false);
    return { tables, snapshotAt: c.snapshotAt, memoryLimit: c.memoryLimit };
  },
  async sqlExamples() {
    return EXAMPLE_QUERIES.map((e) => ({ ...e }));
  },
  async sqlCompletion(_args, { engine }) {
    const c = consoleFor(engine.requireCase());
    const tables = await c.inspect(describeCase);
    const functions = await c.inspect(functionNames);
    return { tables: Object.fromEntries(tables.map((t) => [t.name, t.columns.map((col) => col.name)])), functions };
  },
  async sqlHistory({ limit, search }, { engine }) {
    return listHistory(engine.requireCase(), limit, search);
  },
  async sqlSavedList(_args, { engine }) {
    return listSaved(engine.requireCase());
  },
  async sqlSave({ name, sql, description }, { engine }) {
    const session = engine.requireCase();
    const saved = await saveQuery(session, name, sql, description ?? null);
    await appendAudit(session, { action: 'console-save-query', detail: { name, sql }, tables: ['saved_queries'] });
    return saved;
  },
  async sqlDeleteSaved({ id }, { engine }) {
    const session = engine.requireCase();
    const deleted = await deleteSaved(session, id);
    if (deleted) await appendAudit(session, { action: 'console-delete-query', detail: { id }, tables: ['saved_queries'] });
    return { deleted };
  },
  async sqlExport({ resultId, format, sort, sql }, { engine }) {
    return userFacing(exportResult(engine.requireCase(), resultId, format, sort ?? [], sql)).catch((err: unknown) => {
      if (err instanceof UserError) throw err;
      throw new UserError(err instanceof Error ? err.message : String(err), 'export_failed');
    });
  },
};
