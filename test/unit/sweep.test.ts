import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { generateReport } from '../../electron/engine/report/generateReport';
import { join, resolve } from 'node:path';
import { parseIndicators } from '../../electron/engine/sweep/indicators';
import { ipText, parseIp, parseIpRange } from '../../electron/engine/query/ipAddress';
import { whereSql } from '../../electron/engine/query/filterSql';
import { runSweep } from '../../electron/engine/sweep/sweep';
import { readAuditDb } from '../../electron/engine/custody/audit';
import { graphObject, signin } from '../support/fixtures/signinFixtures';
import { importInto, withCase, writeEvidence } from '../support/fixtures/importHarness';

const ROOT = resolve(__dirname, '../..');

function python(script: string, input: unknown): unknown {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('indicator lists: types are detected, comments and blank lines skipped, bad lines named by line', () => {
  const text = [
    '# threat intel 2026-10',
    '198.51.100.7',
    '10.0.0.0/8   # corporate',
    '2001:DB8::1',
    '2001:db8:abcd::/48',
    'Attacker@Evil.example',
    '29d9ed98-a469-4536-ade2-f981bc1d605e',
    'ua:python-requests/2.31',
    'app:Microsoft Authentication Broker',
    'asn:AS8075',
    'country:RU',
    '',
    'not an indicator',
    '10.0.0.0/33',
    '999.1.1.1',
    'asn:banana',
    '198.51.100.7',
  ].join('\r\n');
  const { indicators, problems } = parseIndicators(text);
  assert.deepEqual(
    indicators.map((i) => [i.line, i.type, i.value]),
    [
      [2, 'ip', '198.51.100.7'],
      [3, 'cidr', '10.0.0.0/8'],
      [4, 'ip', '2001:db8::1'],
      [5, 'cidr', '2001:db8:abcd::/48'],
      [6, 'upn', 'attacker@evil.example'],
      [7, 'guid', '29d9ed98-a469-4536-ade2-f981bc1d605e'],
      [8, 'user_agent', 'python-requests/2.31'],
      [9, 'app', 'microsoft authentication broker'],
      [10, 'asn', '8075'],
      [11, 'country', 'ru'],
    ],
  );
  assert.deepEqual(problems.map((p) => p.line), [13, 14, 15, 16]);
  assert.match(problems[0]!.reason, /"not an indicator" is not an IP address, CIDR range, UPN, GUID/);
  assert.match(problems[1]!.reason, /not a valid CIDR range/);
  assert.match(problems[3]!.reason, /not an autonomous system number/);
});

test("addresses and ranges agree with Python's ipaddress on membership and canonical text", () => {
  const addresses = ['10.0.0.1', '10.0.0.10', '110.0.0.1', '82.0.175.14', '82.0.175.149', '0.0.0.0', '255.255.255.255', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db8:abcd:12::5', '::1', '::', 'fe80::1:2', '::ffff:10.0.0.1', '2001:db8::ffff:1.2.3.4', '1:2:3:4:5:6:7:8'];
  const ranges = ['10.0.0.1', '10.0.0.0/8', '10.0.0.0/31', '82.0.175.14', '0.0.0.0/0', '2001:db8::/32', '2001:db8:abcd::/48', '::/0', '::1', '2001:db8::1/128', '10.0.0.5/8', '::ffff:10.0.0.0/104', '::ffff:10.0.0.1'];
  const ours = ranges.map((r) => {
    const range = parseIpRange(r)!;
    const member = (a: string) => {
      const ip = parseIp(a)!;
      return ip.family === range.family && ip.value >= range.from && ip.value <= range.to;
    };
    return { range: range.text, members: addresses.filter(member) };
  });
  const theirs = python(
    `import sys, json, ipaddress
d = json.load(sys.stdin)
def addr(a):
    x = ipaddress.ip_address(a)
    if x.version == 6 and x.ipv4_mapped: return x.ipv4_mapped
    return x
out = []
for r in d['ranges']:
    net = ipaddress.ip_network(r, strict=False)
    if net.version == 6 and net.subnet_of(ipaddress.ip_network('::ffff:0:0/96')):
        net = ipaddress.ip_network((net.network_address.ipv4_mapped, net.prefixlen - 96))
    text = str(net) if net.prefixlen != net.max_prefixlen else str(net.network_address)
    out.append({'range': text, 'members': [a for a in d['addresses'] if addr(a).version == net.version and addr(a) in net]})
print(json.dumps(out))`,
    { addresses, ranges },
  );
  assert.deepEqual(ours, theirs);
  assert.equal(ipText(parseIp('2001:DB8:0:0:0:0:0:1')!), '2001:db8::1');
  assert.equal(ipText(parseIp('::ffff:10.0.0.1')!), '10.0.0.1');
  for (const bad of ['10.0.0', '10.0.0.256', '1:2:3:4:5:6:7:8:9', '1::2::3', 'gggg::1', '010.0.0.1']) assert.equal(parseIp(bad), null, bad);
});

test('a sweep finds exactly the rows an independent reading of the export finds, per indicator, and is audited', async () => {
  await withCase('sweep-match', async (dir, session) => {
    const ips = ['198.51.100.7', '198.51.100.70', '10.1.2.3', '10.200.0.9', '110.0.0.1', '2001:db8::1', '2001:0db8:0000::0001', '2001:db8:abcd:1::9', '::ffff:198.51.100.7', '203.0.113.5'];
    const uas = ['python-requests/2.31.0', 'Mozilla/5.0 (Windows NT 10.0)', 'PYTHON-REQUESTS/2.31', 'curl/8.1'];
    const records = Array.from({ length: 40 }, (_, i) => {
      const o = graphObject(
        signin(i + 1, {
          ip: ips[i % ips.length]!,
          upn: i % 7 === 0 ? 'Attacker@Evil.example' : `user${i}@contoso.example`,
          userAgent: uas[i % uas.length]!,
          country: i % 5 === 0 ? 'RU' : 'NO',
          appId: i % 6 === 0 ? '29d9ed98-a469-4536-ade2-f981bc1d605e' : '00000002-0000-0ff1-ce00-000000000000',
          app: i % 6 === 0 ? 'Microsoft Authentication Broker' : 'Office 365 Exchange Online',
          errorCode: i % 3 === 0 ? 50126 : 0,
        }),
      );
      return { ...o, autonomousSystemNumber: i % 4 === 0 ? 8075 : 64500 };
    });
    const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
    const [s] = await importInto(session, [file]);
    assert.equal(s!.imported, 40);
    const list = ['198.51.100.7', '10.0.0.0/8', '2001:db8::1', '2001:db8:abcd::/48', 'attacker@evil.example', '29D9ED98-A469-4536-ADE2-F981BC1D605E', 'ua:python-requests', 'app:microsoft authentication broker', 'asn:8075', 'country:RU', '192.0.2.1', 'bogus line'].join('\n');
    const r = await runSweep(session, list, { tag: 'IOC hit' });
    const ours: Record<string, string[]> = {};
    for (const x of r.indicators) {
      const rows = await session.db.all<{ id: string }>(
        `SELECT s.request_id AS id FROM sweep_hits h JOIN signins s ON s.row_id = h.row_id WHERE h.sweep_id = ? AND h.indicator_line = ? ORDER BY 1`,
        [r.id, x.line],
      );
      ours[x.indicator] = rows.map((q) => q.id);
    }
    const theirs = python(
      `import sys, json, ipaddress
d = json.load(sys.stdin)
recs = d['records']
def addr(a):
    x = ipaddress.ip_address(a)
    return x.ipv4_mapped if x.version == 6 and x.ipv4_mapped else x
out = {}
for ind in d['list']:
    t = ind
    if t == 'bogus line': continue
    if t.startswith('ua:'): m = lambda r: t[3:].lower() in r['userAgent'].lower()
    elif t.startswith('app:'): m = lambda r: r['appId'].lower() == t[4:].lower() or r['appDisplayName'].lower() == t[4:].lower()
    elif t.startswith('asn:'): m = lambda r: r['autonomousSystemNumber'] == int(t[4:])
    elif t.startswith('country:'): m = lambda r: r['location']['countryOrRegion'].upper() == t[8:].upper()
    elif '@' in t: m = lambda r: r['userPrincipalName'].lower() == t.lower()
    elif t.count('-') == 4: m = lambda r: any(str(r.get(k) or '').lower() == t.lower() for k in ['userId', 'appId', 'resourceId', 'id', 'correlationId'])
    else:
        net = ipaddress.ip_network(t, strict=False)
        m = lambda r: addr(r['ipAddress']).version == net.version and addr(r['ipAddress']) in net
    out[t] = sorted(r['id'] for r in recs if m(r))
print(json.dumps(out))`,
      { records, list: list.split('\n') },
    ) as Record<string, string[]>;
    assert.deepEqual(ours, theirs);
    // The sweep and the grid's ip: search read addresses with one parser: the same rows, and
    // the IPv4-mapped spelling (::ffff:198.51.100.7) is the IPv4 address on both sides.
    for (const term of ['198.51.100.7', '10.0.0.0/8', '2001:db8::1', '2001:db8:abcd::/48']) {
      const w = whereSql({ conditions: [], search: `ip:"${term}"` });
      const searched = await session.db.all<{ id: string }>(`SELECT request_id AS id FROM signins WHERE ${w.sql} ORDER BY 1`, w.params as never);
      assert.deepEqual(searched.map((q) => q.id), ours[term], term);
    }
    const mapped = records.filter((x) => (x as Record<string, unknown>).ipAddress === '::ffff:198.51.100.7').map((x) => String((x as Record<string, unknown>).id));
    assert.ok(mapped.length > 0 && mapped.every((id) => ours['198.51.100.7']!.includes(id)));
    assert.ok(ours['198.51.100.7']!.length > 0 && ours['10.0.0.0/8']!.length > 0 && ours['ua:python-requests']!.length > 0);
    assert.equal(ours['192.0.2.1']!.length, 0, 'zero-hit indicators are listed too');
    assert.deepEqual(r.problems.map((p) => p.line), [12]);
    // Every hit is tagged, and the sweep is in the audit chain with the list's SHA-256.
    const allHits = new Set(Object.values(ours).flat());
    assert.equal(r.rows, allHits.size);
    assert.equal(r.tagged, allHits.size);
    const tagged = Number(await session.db.scalar(`SELECT count(*) FROM row_tags rt JOIN tags t USING (tag_id) WHERE t.name = 'IOC hit'`));
    assert.equal(tagged, allHits.size);
    const entry = (await readAuditDb(session)).find((a) => a.action === 'ioc.sweep')!;
    const listSha = createHash('sha256').update(list).digest('hex');
    assert.equal(JSON.parse(entry.detail).listSha256, listSha);
    // The report lists the sweep with its list's hash.
    const out = join(dir, 'report.html');
    await generateReport(session, out);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<section id="sweeps">/);
    assert.ok(html.includes(listSha));
  });
});

test('signet sweep --json prints each indicator with its hits and exits 1 when a line is no indicator', async () => {
  await withCase('sweep-cli', async (dir, session) => {
    const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: [1, 2, 3].map((i) => graphObject(signin(i, { ip: `198.51.100.${i}` }))) }));
    await importInto(session, [file]);
    session.close();
    const iocs = join(dir, 'iocs.txt');
    writeFileSync(iocs, '198.51.100.0/30\n# comment\n198.51.100.9\nnope\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/signet.ts'), 'sweep', '--case', session.dir, '--iocs', iocs, '--json', '--tag', 'intel'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /iocs\.txt line 4: "nope" is not an IP address/);
    const out = JSON.parse(r.stdout) as { indicators: { indicator: string; type: string; rows: number; users: number; first_utc: string | null; last_utc: string | null }[]; tagged: number };
    assert.deepEqual(out.indicators.map((x) => [x.indicator, x.type, x.rows]), [['198.51.100.0/30', 'cidr', 3], ['198.51.100.9', 'ip', 0]]);
    assert.equal(out.tagged, 3);
    assert.ok(out.indicators[0]!.first_utc && out.indicators[0]!.last_utc);
  });
});

test('a sweep of thousands of indicators (overlapping v4 and v6 blocks, spellings, accounts, ids) agrees with Python per indicator', async () => {
  await withCase('sweep-many', async (dir, session) => {
    // mulberry32: a seeded generator, so a failure is the same on every run.
    let seed = 22;
    const rnd = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    const pick = <T>(xs: T[]): T => xs[rnd(xs.length)]!;
    const v4 = () => `10.${rnd(4)}.${rnd(8)}.${rnd(256)}`;
    const groups6 = () => ['2001', 'db8', rnd(3).toString(16), rnd(4).toString(16), '0', '0', rnd(2).toString(16), rnd(65536).toString(16)];
    // One IPv6 address in one of the spellings exports use: compressed, zero-padded, upper case.
    const spell6 = (g: string[]): string => {
      const k = rnd(3);
      if (k === 0) return g.map((x) => x.padStart(4, '0')).join(':');
      const s = g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
      return k === 1 ? s : s.toUpperCase();
    };
    const rowIps: string[] = [];
    for (let i = 0; i < 250; i++) {
      const k = rnd(10);
      rowIps.push(k < 5 ? v4() : k < 8 ? spell6(groups6()) : k < 9 ? `::ffff:${v4()}` : pick(['198.51.100.7', 'unknown', '10.0.0.1']));
    }
    const upns = Array.from({ length: 30 }, (_, i) => `Person${i}@Contoso.example`);
    const records = rowIps.map((ip, i) =>
      graphObject(
        signin(i + 1, {
          ip,
          upn: pick(upns),
          userId: `11111111-0000-4000-8000-${(rnd(40) + 1).toString(16).padStart(12, '0')}`,
          errorCode: pick([0, 0, 50126, 50074]),
        }),
      ),
    );
    const file = writeEvidence(dir, 'signins.json', JSON.stringify({ value: records }));
    await importInto(session, [file]);

    const list: string[] = [];
    for (let i = 0; i < 900; i++) list.push(i % 3 === 0 ? pick(rowIps.filter((x) => /^\d/.test(x))) : v4());
    for (let i = 0; i < 900; i++) list.push(`10.${rnd(4)}.${rnd(8)}.${rnd(256)}/${pick([8, 12, 14, 16, 20, 22, 24, 27, 30, 31, 32])}`);
    for (let i = 0; i < 500; i++) list.push(spell6(groups6()));
    for (let i = 0; i < 400; i++) list.push(`${spell6(groups6())}/${pick([16, 32, 40, 48, 56, 64, 96, 112, 120, 127, 128])}`);
    list.push('::ffff:10.0.0.0/104', '::ffff:10.1.0.0/112', '0.0.0.0/0', '::/0', '2001:db8::/32');
    for (let i = 0; i < 150; i++) list.push(i % 2 ? pick(upns).toLowerCase() : `nobody${i}@contoso.example`);
    for (let i = 0; i < 150; i++) list.push(`11111111-0000-4000-8000-${(rnd(60) + 1).toString(16).padStart(12, '0').toUpperCase()}`);
    assert.ok(list.length >= 3000);

    const r = await runSweep(session, list.join('\n'));
    assert.deepEqual(r.problems, []);
    const hits = await session.db.all<{ line: number; id: string }>(
      `SELECT h.indicator_line AS line, s.request_id AS id FROM sweep_hits h JOIN signins s ON s.row_id = h.row_id WHERE h.sweep_id = ? ORDER BY 1, 2`,
      [r.id],
    );
    const byLine = new Map<number, string[]>();
    for (const h of hits) byLine.set(Number(h.line), [...(byLine.get(Number(h.line)) ?? []), h.id]);
    const ours = r.indicators.map((x) => ({ indicator: x.indicator, rows: byLine.get(x.line) ?? [], n: x.rows, users: x.users, successes: x.successes, first: x.first_utc, last: x.last_utc }));

    const theirs = python(
      `import sys, json, ipaddress
d = json.load(sys.stdin)
def addr(a):
    try: x = ipaddress.ip_address(a)
    except ValueError: return None
    return x.ipv4_mapped if x.version == 6 and x.ipv4_mapped else x
recs = [(r, addr(r['ipAddress'])) for r in d['records']]
out = []
for t in d['indicators']:
    if '@' in t: m = lambda r, a: r['userPrincipalName'].lower() == t.lower()
    elif t.count('-') == 4: m = lambda r, a: any(str(r.get(k) or '').lower() == t.lower() for k in ['userId', 'appId', 'resourceId', 'id', 'correlationId'])
    else:
        net = ipaddress.ip_network(t, strict=False)
        if net.version == 6 and net.subnet_of(ipaddress.ip_network('::ffff:0:0/96')):
            net = ipaddress.ip_network((net.network_address.ipv4_mapped, net.prefixlen - 96))
        m = lambda r, a: a is not None and a.version == net.version and a in net
    hit = [r for r, a in recs if m(r, a)]
    times = sorted(r['createdDateTime'][:19] + 'Z' for r in hit)
    out.append({'indicator': t, 'rows': sorted(r['id'] for r in hit), 'n': len(hit), 'users': len({r['userPrincipalName'].lower() for r in hit}),
                'successes': sum(1 for r in hit if r['status']['errorCode'] == 0), 'first': times[0] if times else None, 'last': times[-1] if times else None})
print(json.dumps(out))`,
      { records, indicators: r.indicators.map((x) => x.indicator) },
    ) as typeof ours;
    assert.equal(ours.length, theirs.length);
    for (let i = 0; i < ours.length; i++) assert.deepEqual(ours[i], theirs[i], ours[i]!.indicator);
    assert.ok(ours.filter((x) => x.n > 0).length > 300, 'many indicators hit');
    assert.ok(ours.some((x) => x.indicator.includes(':') && x.indicator.includes('/') && x.n > 0), 'an IPv6 block hit');
    assert.equal(r.rows, new Set(hits.map((h) => h.id)).size);
  });
});
