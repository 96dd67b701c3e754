import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ts from 'typescript';
import { EngineClient } from '../../electron/engineProcess/client';
import { nodeEngine } from '../../electron/engineProcess/nodeChild';

const ROOT = resolve(__dirname, '../..');

/** Modules a file loads when it is loaded: value imports and re-exports, not `import type`, not `import()`. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes = !!clause && !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      out.push((node.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  return null;
}

/** Every source file and package loaded, statically, when `entry` is loaded. */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      const local = resolveLocal(file, spec);
      if (local) stack.push(local);
      else if (!spec.startsWith('.')) packages.add(spec);
    }
  }
  return { files, packages };
}

const rel = (f: string) => relative(ROOT, f).split(sep).join('/');

test('the desktop main process and the bridge parent load no DuckDB and no engine work: only the contract, the client and the shell', () => {
  for (const entry of ['electron/main.ts', 'electron/bridge/serve.ts']) {
    const { files, packages } = loadedBy(join(ROOT, entry));
    assert.ok(files.has(join(ROOT, 'electron/engineProcess/client.ts')), `${entry} talks to the engine through its client`);
    assert.ok(!packages.has('@duckdb/node-api'), `${entry} loads DuckDB`);
    // What the contract needs from the engine is its vocabulary (zod schemas, pure parsers), nothing that opens a case or runs a query.
    const engineWork = [...files].map(rel).filter((f) => /^electron\/(engine\/(db|case|custody|import|report)\/|engine\/engine\.ts|engine\/settings\/settingsAwareEngine\.ts|api\/handlers\/|api\/handlerTable\.ts)/.test(f));
    assert.deepEqual(engineWork, [], `${entry} loads engine code that does work`);
  }
  // The engine process is the one that loads it all.
  const host = loadedBy(join(ROOT, 'electron/engineProcess/hostEntry.ts'));
  assert.ok(host.files.has(join(ROOT, 'electron/api/handlerTable.ts')));
  assert.ok(host.files.has(join(ROOT, 'electron/engine/db/duckdb.ts')));
});

test('the built main bundle does not load DuckDB; the engine host is built beside it', () => {
  const main = join(ROOT, 'out/main/index.js');
  const hostJs = join(ROOT, 'out/main/engineHost.js');
  assert.ok(existsSync(main) && existsSync(hostJs), 'run npm run build first (npm test does)');
  const requires = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:(?:const|let|var) [\w$]+ = )?require\("([^"]+)"\)/gm)].map((m) => m[1]!);
  const loaded = new Set<string>();
  const stack = [main];
  while (stack.length) {
    const file = stack.pop()!;
    for (const spec of requires(file)) {
      if (!spec.startsWith('.')) loaded.add(spec);
      else {
        const next = resolve(dirname(file), spec);
        if (!loaded.has(next)) {
          loaded.add(next);
          stack.push(next);
        }
      }
    }
  }
  assert.ok(!loaded.has('@duckdb/node-api'), `the main process loads DuckDB at start: ${[...loaded].join(', ')}`);
  assert.match(readFileSync(hostJs, 'utf8'), /@duckdb\/node-api|caseSession/, 'the engine host carries the engine');
});

test('the built engine host (the file the desktop app starts as its utility process) answers calls with DuckDB loaded', { timeout: 120_000 }, async () => {
  const client = new EngineClient(nodeEngine(join(ROOT, 'out/main/engineHost.js')), { dataDir: mkdtempSync(join(tmpdir(), 'signet-host-')), appVersion: 'built', mode: 'desktop' });
  try {
    const info = await client.invoke('appInfo', {}, 'ipc');
    assert.ok(info.ok, JSON.stringify(info));
    const result = info.result as { version: string; duckdb: string; mode: string };
    assert.equal(result.version, 'built');
    assert.equal(result.mode, 'desktop');
    assert.match(result.duckdb, /\d+\.\d+/);
    assert.notEqual(client.pid, process.pid);
  } finally {
    await client.close();
  }
});
