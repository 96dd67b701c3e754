import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const ENGINE = join(ROOT, 'electron/engine');
/** What the engine must not depend on: the API adapters, the Electron shell, the bridge, the CLI. */
const OUTER_LAYERS = ['api', 'shell', 'bridge', 'cli'].map((d) => join(ROOT, 'electron', d));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * Every module a source names: static imports and re-exports (type-only too), `import x =
 * require()`, `require()` and dynamic `import()`, as TypeScript's own pre-processor reads them.
 */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The outer-layer modules a file at `file` imports, as paths relative to the repo. */
function outwardImports(file: string, source: string): string[] {
  return specifiers(source)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s))
    .filter((target) => OUTER_LAYERS.some((layer) => target === layer || target.startsWith(layer + sep)))
    .map((target) => relative(ROOT, target).split(sep).join('/'));
}

test('the scanner sees every form of import that could point out of the engine', () => {
  const file = join(ENGINE, 'query', 'example.ts');
  const cases: Array<[string, string]> = [
    [`import { UserError } from '../../api/dispatch';`, 'electron/api/dispatch'],
    [`import type { FilterState } from '../../api/schemas/filter';`, 'electron/api/schemas/filter'],
    [`import {\n  a,\n  b,\n} from "../../shell/menu";`, 'electron/shell/menu'],
    [`export { x } from '../../bridge/server';`, 'electron/bridge/server'],
    [`export * from '../../cli/command';`, 'electron/cli/command'],
    [`const m = await import('../../api/methods/case');`, 'electron/api/methods/case'],
    [`const m = require('../../api/handlers/grid');`, 'electron/api/handlers/grid'],
    [`import fs = require('../../api/contract');`, 'electron/api/contract'],
    [`import '../../shell/requestPolicy';`, 'electron/shell/requestPolicy'],
    [`import { x } from './../../api';`, 'electron/api'],
    [`import { x } from '../../engine/../api/dispatch';`, 'electron/api/dispatch'],
  ];
  for (const [source, target] of cases) assert.deepEqual(outwardImports(file, source), [target], source);
  // Inside the engine, and names that only look alike, are fine.
  const fine = [`import { q } from '../db/database';`, `import { api } from './api';`, `import z from 'zod';`, `import { x } from '../../apiary/x';`];
  for (const source of fine) assert.deepEqual(outwardImports(file, source), [], source);
});

test('no file under electron/engine imports from electron/api, shell, bridge or cli', () => {
  const files = tsFiles(ENGINE);
  assert.ok(files.length > 50, `found only ${files.length} engine files`);
  const offenders = files.flatMap((file) =>
    outwardImports(file, readFileSync(file, 'utf8')).map((target) => `${relative(ROOT, file).split(sep).join('/')} -> ${target}`),
  );
  assert.deepEqual(offenders, [], `the engine must own its vocabulary; these point outward:\n${offenders.join('\n')}`);
});
