import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FINDING_MEANINGS, SEARCH_SYNTAX, SHORTCUTS } from '../../renderer/help/helpContent';
import { KIND_LABELS } from '../../renderer/findings/labels';
import { FINDING_KINDS } from '../../electron/engine/findings/types';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

test('the in-app help and the README say the same: search syntax, shortcuts, every finding kind', () => {
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  for (const [what, meaning] of [...SEARCH_SYNTAX, ...SHORTCUTS]) {
    assert.ok(README.includes(cell(what)), `README names ${what}`);
    assert.ok(README.includes(cell(meaning)), `README explains ${what}: ${meaning}`);
  }
  assert.deepEqual(Object.keys(FINDING_MEANINGS).sort(), [...FINDING_KINDS].sort(), 'the help explains every kind the engine has');
  for (const kind of FINDING_KINDS) assert.ok(README.includes(`| ${KIND_LABELS[kind]} (\`${kind}\`) | ${FINDING_MEANINGS[kind]} |`), `README explains ${kind}`);
});
