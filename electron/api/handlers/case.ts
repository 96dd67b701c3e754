import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { version as duckdbVersion } from '../../engine/db/duckdb';
import type { HandlersFor } from '../dispatch';
import { UserError } from '../dispatch';
import type { caseMethods } from '../methods/case';
import { caseSummary } from '../../engine/query/caseSummary';
import { startDemoJob } from '../../engine/demo/demoCase';

export const caseHandlers: HandlersFor<typeof caseMethods> = {
  async appInfo(_args, { engine }) {
    return { version: engine.options.appVersion, duckdb: duckdbVersion(), mode: engine.options.mode, node: process.versions.node };
  },
  async openFiles({ paths, caseDir, logType, dateOrder, caseName }, { engine }) {
    return { jobId: engine.startImport(paths, caseDir, { ...(logType ? { logType } : {}), ...(dateOrder ? { dateOrder } : {}), ...(caseName ? { caseName } : {}) }) };
  },
  async renameCase({ name }, { engine }) {
    return caseSummary(await engine.renameCase(name));
  },
  async openDemo({ rows }, { engine }) {
    return { jobId: startDemoJob(engine, rows ?? 20_000) };
  },
  async openCase({ dir }, { engine }) {
    return caseSummary(await engine.openCase(dir));
  },
  async closeCase(_args, { engine }) {
    return { closed: engine.closeCase() };
  },
  async caseInfo(_args, { engine }) {
    return engine.current ? caseSummary(engine.current) : null;
  },
  async recentCases(_args, { engine }) {
    return engine.recentCases();
  },
  async jobStatus({ jobId }, { engine }) {
    const state = engine.jobs.status(jobId);
    if (!state) throw new UserError(`No such job: ${jobId}`, 'no_job');
    return state;
  },
  async cancelJob({ jobId }, { engine }) {
    return { cancelled: engine.jobs.cancel(jobId) };
  },
  async listDirectory({ path }) {
    const dir = resolve(path ?? homedir());
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      throw new UserError(`Cannot list ${dir}: ${err instanceof Error ? err.message : String(err)}`, 'bad_path');
    }
    const entries = [];
    for (const name of names.sort((a, b) => a.localeCompare(b))) {
      if (name.startsWith('.')) continue;
      const full = join(dir, name);
      const st = await stat(full).catch(() => null);
      if (!st) continue;
      entries.push({ name, path: full, kind: st.isDirectory() ? ('dir' as const) : ('file' as const), bytes: st.isDirectory() ? 0 : st.size });
    }
    const parent = dirname(dir);
    return { path: dir, parent: parent === dir ? null : parent, entries };
  },
};
