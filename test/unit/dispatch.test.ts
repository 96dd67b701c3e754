import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../electron/api/dispatch';
import { handlerTable } from '../../electron/api/handlerTable';
import { Engine } from '../../electron/engine/engine';
import { contract } from '../../electron/api/contract';

function engine(): Engine {
  return new Engine({ dataDir: mkdtempSync(join(tmpdir(), 'signet-dispatch-')), appVersion: 'test', mode: 'browser' });
}

test('every contract method has a handler and every handler a contract entry', () => {
  assert.deepEqual(Object.keys(handlerTable).sort(), Object.keys(contract).sort());
});

test('unknown methods and invalid arguments are refused before any handler runs', async () => {
  const ctx = { engine: engine(), transport: 'bridge' as const };
  const unknown = await dispatch(handlerTable, 'dropEverything', {}, ctx);
  assert.equal(unknown.ok, false);
  assert.equal(!unknown.ok && unknown.error.code, 'unknown_method');
  const bad = await dispatch(handlerTable, 'getRows', { start: 'x' }, ctx);
  assert.equal(!bad.ok && bad.error.code, 'invalid_args');
  const proto = await dispatch(handlerTable, '__proto__', {}, ctx);
  assert.equal(!proto.ok && proto.error.code, 'unknown_method');
});

test('methods that need a case say so clearly when none is open', async () => {
  const r = await dispatch(handlerTable, 'columns', {}, { engine: engine(), transport: 'ipc' });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /No case is open/);
});
