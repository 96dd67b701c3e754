import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { formatZonedInput, parseZonedInput, presetRange } from '../../renderer/state/timeInput';

// Wall times typed in a zone are turned into instants; Python's zoneinfo (the IANA data
// read by another implementation) says what each should be, gaps and folds included.

const CASES: [string, string][] = [
  ['Europe/Oslo', '2026-10-01 14:30'],
  ['Europe/Oslo', '2026-01-15 00:00:00'],
  ['Europe/Oslo', '2026-03-29 01:59:59'],
  ['Europe/Oslo', '2026-03-29 02:30'], // skipped: summer time starts at 02:00
  ['Europe/Oslo', '2026-03-29 03:00'],
  ['Europe/Oslo', '2026-10-25 02:30'], // happens twice
  ['Europe/Oslo', '2026-10-25 03:00'],
  ['America/New_York', '2026-03-08 02:15'],
  ['America/New_York', '2026-11-01 01:30:15'],
  ['America/New_York', '2026-07-04 23:59:59'],
  ['Asia/Kolkata', '2026-10-01 05:30'],
  ['Australia/Lord_Howe', '2026-10-04 02:15'], // a half-hour change
  ['Australia/Lord_Howe', '2026-04-05 01:45'],
  ['Pacific/Chatham', '2026-09-27 02:50'],
  ['UTC', '2026-10-01 14:30:07'],
];

const PY = String.raw`
import json, sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
out = []
for zone, text in json.loads(sys.stdin.read()):
    z = ZoneInfo(zone)
    fmt = '%Y-%m-%d %H:%M:%S' if text.count(':') == 2 else '%Y-%m-%d %H:%M'
    naive = datetime.strptime(text, fmt)
    first = naive.replace(tzinfo=z, fold=0)
    utc = first.astimezone(timezone.utc)
    # A wall time that does not come back unchanged from UTC is in a gap.
    back = utc.astimezone(z).replace(tzinfo=None)
    out.append(None if back != naive else utc.strftime('%Y-%m-%dT%H:%M:%S.000Z'))
print(json.dumps(out))
`;

test('typed wall times become the instants zoneinfo gives; skipped times are refused by name', () => {
  const r = spawnSync('python3', ['-c', PY], { input: JSON.stringify(CASES), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const want = JSON.parse(r.stdout) as (string | null)[];
  assert.ok(want.includes(null), 'the fixture has a gap');
  CASES.forEach(([zone, text], i) => {
    const got = parseZonedInput(text, zone);
    if (want[i] === null) {
      assert.equal(got.ok, false, `${zone} ${text} is skipped`);
      assert.match(!got.ok ? got.error : '', /does not exist in .* summer time/);
    } else {
      assert.ok(got.ok, `${zone} ${text}: ${!got.ok ? got.error : ''}`);
      assert.equal(got.iso, want[i], `${zone} ${text}`);
      // And back: the instant shown in the zone is what was typed.
      assert.equal(formatZonedInput(got.ms, zone).slice(0, text.length), text);
    }
  });
});

test('ISO with a T, seconds and fractions are accepted; microseconds are kept', () => {
  const a = parseZonedInput('2026-10-01T14:03:07.123456', 'Europe/Oslo');
  assert.ok(a.ok);
  assert.equal(a.iso, '2026-10-01T12:03:07.123456Z');
  const b = parseZonedInput(' 2026-10-01 ', 'UTC');
  assert.ok(b.ok, 'a date alone is midnight');
  assert.equal(b.iso, '2026-10-01T00:00:00.000Z');
});

test('bad input gets a message that says what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /empty\. Type YYYY-MM-DD HH:MM\[:SS\]/],
    ['10/01/2026 2:30 PM', /not YYYY-MM-DD HH:MM\[:SS\].*without AM\/PM/],
    ['01.10.2026 14:30', /with the year first/],
    ['2026-13-01 10:00', /month 13 does not exist/],
    ['2026-02-29 10:00', /2026-02 has no day 29 \(it has 28\)/],
    ['2026-10-01 24:00', /hour 24 is past 23/],
    ['2026-10-01 10:60', /minute 60 is past 59/],
    ['2026-10-01 10:00:61', /second 61 is past 59/],
    ['yesterday', /"yesterday" is not/],
  ];
  for (const [text, re] of cases) {
    const r = parseZonedInput(text, 'Europe/Oslo', 'From');
    assert.equal(r.ok, false, text);
    assert.match(!r.ok ? r.error : '', re, text);
    assert.match(!r.ok ? r.error : '', /^From: /);
  }
  const leap = parseZonedInput('2028-02-29 10:00', 'UTC');
  assert.ok(leap.ok, '2028 is a leap year');
});

const texts = (r: { from: string; to: string }) => ({ from: r.from, to: r.to });

test('presets are relative to the case, not to now, and read in the zone', () => {
  const latest = '2026-10-25T00:59:30.250000Z'; // 02:59:30 CEST, before Oslo falls back at 01:00 UTC
  assert.deepEqual(texts(presetRange('last1h', latest, 'UTC')), { from: '2026-10-24 23:59:31', to: '2026-10-25 00:59:31' });
  assert.deepEqual(texts(presetRange('last1h', latest, 'Europe/Oslo')), { from: '2026-10-25 01:59:31', to: '2026-10-25 02:59:31' });
  assert.deepEqual(texts(presetRange('last24h', latest, 'Europe/Oslo')), { from: '2026-10-24 02:59:31', to: '2026-10-25 02:59:31' });
  assert.deepEqual(texts(presetRange('last7d', latest, 'UTC')), { from: '2026-10-18 00:59:31', to: '2026-10-25 00:59:31' });
  // This day: the anchor's calendar day in the zone (a UTC evening is the next day in Tokyo).
  assert.deepEqual(texts(presetRange('day', latest, 'Asia/Tokyo', '2026-10-01T20:00:00Z')), { from: '2026-10-02 00:00:00', to: '2026-10-03 00:00:00' });
  // The day Oslo falls back has 25 hours.
  const day = presetRange('day', latest, 'Europe/Oslo');
  assert.deepEqual(texts(day), { from: '2026-10-25 00:00:00', to: '2026-10-26 00:00:00' });
  assert.equal(day.toMs - day.fromMs, 25 * 3_600_000);
  assert.equal(new Date(day.fromMs).toISOString(), '2026-10-24T22:00:00.000Z');
  // Inside the fold the hour is still an hour, though both ends read 02:30:01 on the wall.
  const fold = presetRange('last1h', '2026-10-25T01:30:00Z', 'Europe/Oslo');
  assert.deepEqual(texts(fold), { from: '2026-10-25 02:30:01', to: '2026-10-25 02:30:01' });
  assert.equal(fold.toMs - fold.fromMs, 3_600_000);
  assert.ok(fold.toMs > Date.parse('2026-10-25T01:30:00Z'), 'the latest sign-in is inside (end exclusive)');
});
