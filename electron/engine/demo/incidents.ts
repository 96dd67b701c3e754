import { Rng } from './random';
import { AGENTS, APPS, ATTACK_AGENTS, ERRORS, cityByName, type Agent, type App, type City, type ErrorInfo } from './catalog';
import { cityPoint, sessionFor, userEvent } from './builders';
import type { FindingKind, GeoPoint, SignInEvent } from './event';
import { ipIn, networkFor, TIME, type Tenant, type User } from './tenant';
import { NETWORKS } from './catalog';

/** Planted attacks and oddities, with the users they need kept quiet around them. */
export interface PlantedSet {
  events: SignInEvent[];
  quiet: [number, number, number][];
  /** Human summary per incident, for the ground truth file. */
  incidents: { kind: FindingKind; users: string[]; ips: string[]; requestIds: string[]; note: string }[];
  /** Rows whose text is hostile (formula, HTML, embedded newline) and must stay data. */
  hostileRows: string[];
}

const QUIET_MS = 30 * TIME.HOUR;

const BROWSER: Agent = AGENTS[1]!;
const EDGE: Agent = AGENTS[0]!;

function hostingNet(asn: number) {
  const n = NETWORKS.find((x) => x.asn === asn);
  if (!n) throw new Error(`unknown network ${asn}`);
  return n;
}

class Planter {
  readonly out: PlantedSet = { events: [], quiet: [], incidents: [], hostileRows: [] };
  private readonly used = new Set<number>();

  constructor(
    readonly rng: Rng,
    readonly tenant: Tenant,
  ) {}

  /** A member user with no trips and a home in the wanted country (if given), not used by another incident. */
  victim(country?: string, city?: string): User {
    const pool = this.tenant.users.filter(
      (u) => !this.used.has(u.index) && u.identity.userType === 'Member' && u.trips.length === 0 && u.index >= 8 && (!country || u.home.country === country) && (!city || u.home.name === city),
    );
    const list = pool.length ? pool : this.tenant.users.filter((u) => !this.used.has(u.index) && u.identity.userType === 'Member');
    const u = this.rng.pick(list);
    this.used.add(u.index);
    return u;
  }

  quietAround(user: User, from: number, to: number): void {
    this.out.quiet.push([user.index, from - QUIET_MS, to + QUIET_MS]);
  }

  push(kinds: FindingKind[], e: SignInEvent): SignInEvent {
    e.planted = kinds;
    this.out.events.push(e);
    return e;
  }

  record(kind: FindingKind, events: SignInEvent[], note: string): void {
    this.out.incidents.push({
      kind,
      users: [...new Set(events.map((e) => e.user?.upn).filter((x): x is string => Boolean(x)))],
      ips: [...new Set(events.map((e) => e.ip).filter(Boolean))],
      requestIds: events.map((e) => e.id),
      note,
    });
  }

  ev(user: User, t: number, app: App, agent: Agent, ip: string, asn: number | null, loc: GeoPoint | null, extra: Partial<{ error: ErrorInfo; status: SignInEvent['status']; mfa: 'completed' | 'claim' | 'none' | 'denied' | 'noResponse'; logType: 'interactive' | 'noninteractive'; sessionId: string; device: number }> = {}): SignInEvent {
    const device = extra.device ?? 0;
    return userEvent(this.rng, this.tenant, {
      logType: extra.logType ?? 'interactive',
      t,
      user,
      app,
      agent,
      device,
      ip,
      asn,
      loc,
      sessionId: extra.sessionId ?? sessionFor(this.tenant, user, device, t, 'home'),
      error: extra.error,
      status: extra.status,
      mfa: extra.mfa,
    });
  }

  home(user: User): { ip: string; asn: number; loc: GeoPoint } {
    return { ip: user.homeIp, asn: user.homeAsn, loc: cityPoint(user.home) };
  }
}

const sec = (n: number) => n * 1000;
const min = (n: number) => n * 60_000;

function attackerAt(rng: Rng, asn: number, city: City): { ip: string; asn: number; loc: GeoPoint } {
  return { ip: ipIn(rng, hostingNet(asn)), asn, loc: cityPoint(city) };
}

/** One set of incidents; `at(fraction)` places each on a working morning inside the span. */
function plantSet(p: Planter, at: (fraction: number, hourUtc: number) => number): void {
  const { rng, tenant } = p;

  // password_spray: one hosting address tries one password against many accounts.
  {
    const a = attackerAt(rng, 49505, cityByName('Moscow'));
    const t0 = at(0.36, 2);
    const pool = tenant.users.filter((u) => u.identity.userType === 'Member' && u.index >= 8);
    const targets: User[] = [];
    while (targets.length < 28 && targets.length < pool.length) {
      const u = rng.pick(pool);
      if (!targets.includes(u)) targets.push(u);
    }
    const events: SignInEvent[] = [];
    let t = t0;
    const weak = targets[targets.length - 3];
    for (const u of targets) {
      t += sec(rng.range(15, 45));
      const e = p.ev(u, t, APPS.officeHome, { ...BROWSER, ua: ATTACK_AGENTS.bareMozilla, browser: 'Mozilla', os: '' }, a.ip, a.asn, a.loc, { error: u === weak ? undefined : rng.chance(0.1) ? ERRORS.locked : ERRORS.badPassword, mfa: 'none', sessionId: rng.guid() });
      events.push(p.push(['password_spray'], e));
      if (u === weak) p.quietAround(u, t, t);
    }
    p.record('password_spray', events, `${targets.length} accounts tried from ${a.ip} within ${Math.round((t - t0) / 60000)} minutes; one succeeded`);
  }

  // brute_force: many wrong passwords for one user, then a success (and one without).
  {
    const v = p.victim('NO');
    const a = attackerAt(rng, 24940, cityByName('Frankfurt am Main'));
    const t0 = at(0.42, 21);
    const events: SignInEvent[] = [];
    let t = t0;
    for (let i = 0; i < 26; i++) {
      t += sec(rng.range(12, 35));
      events.push(p.push(['brute_force'], p.ev(v, t, APPS.azurePortal, { ...BROWSER, ua: ATTACK_AGENTS.python, browser: 'Python Requests 2.32', os: '' }, a.ip, a.asn, a.loc, { error: ERRORS.badPassword, mfa: 'none', sessionId: rng.guid() })));
    }
    t += sec(40);
    events.push(p.push(['brute_force'], p.ev(v, t, APPS.azurePortal, { ...BROWSER, ua: ATTACK_AGENTS.python, browser: 'Python Requests 2.32', os: '' }, a.ip, a.asn, a.loc, { mfa: 'none', sessionId: rng.guid() })));
    p.quietAround(v, t0, t);
    p.record('brute_force', events, `26 wrong passwords for ${v.identity.upn} in ${Math.round((t - t0) / 60000)} minutes, then a success`);

    const v2 = p.victim('SE');
    const a2 = attackerAt(rng, 16276, cityByName('Paris'));
    const t1 = at(0.58, 3);
    const ev2: SignInEvent[] = [];
    t = t1;
    for (let i = 0; i < 14; i++) {
      t += sec(rng.range(20, 60));
      ev2.push(p.push(['brute_force'], p.ev(v2, t, APPS.outlook, { ...BROWSER, ua: ATTACK_AGENTS.go, browser: '', os: '', clientApp: 'Mobile Apps and Desktop clients' }, a2.ip, a2.asn, a2.loc, { error: i >= 11 ? ERRORS.locked : ERRORS.badPassword, mfa: 'none', sessionId: rng.guid() })));
    }
    p.quietAround(v2, t1, t);
    p.record('brute_force', ev2, `14 failed passwords for ${v2.identity.upn}, ending in lock-out, no success`);
  }

  // mfa_fatigue: the password is known; push prompts until the user gives in.
  {
    const v = p.victim('GB');
    const a = attackerAt(rng, 14061, cityByName('Amsterdam'));
    const t0 = at(0.5, 22);
    const events: SignInEvent[] = [];
    let t = t0;
    for (let i = 0; i < 12; i++) {
      t += sec(rng.range(25, 50));
      events.push(p.push(['mfa_fatigue'], p.ev(v, t, APPS.officeHome, EDGE, a.ip, a.asn, a.loc, { error: ERRORS.mfaDenied, mfa: i % 3 === 0 ? 'denied' : 'noResponse', sessionId: rng.guid() })));
    }
    t += sec(35);
    events.push(p.push(['mfa_fatigue'], p.ev(v, t, APPS.officeHome, EDGE, a.ip, a.asn, a.loc, { mfa: 'completed', sessionId: rng.guid() })));
    p.quietAround(v, t0, t);
    p.record('mfa_fatigue', events, `12 unanswered or denied MFA prompts for ${v.identity.upn}, then an approval`);
  }

  // impossible_travel: Oslo, then Sydney forty minutes later.
  {
    const v = p.victim('NO', 'Oslo');
    const t0 = at(0.55, 7);
    const home = p.home(v);
    const e1 = p.push(['impossible_travel'], p.ev(v, t0, APPS.outlook, v.agents[0]!, home.ip, home.asn, home.loc));
    const syd = cityByName('Sydney');
    const e2 = p.push(['impossible_travel', 'new_country'], p.ev(v, t0 + min(40), APPS.officeHome, BROWSER, ipIn(rng, networkFor(rng, 'AU')), 1221, cityPoint(syd), { sessionId: rng.guid() }));
    p.quietAround(v, t0, t0 + min(40));
    p.record('impossible_travel', [e1, e2], `${v.identity.upn} signed in from Oslo and 40 minutes later from Sydney`);
  }

  // token_reuse: a stolen session replayed from another country.
  {
    const v = p.victim('DE');
    const t0 = at(0.61, 8);
    const home = p.home(v);
    const session = rng.guid();
    const a = attackerAt(rng, 14061, cityByName('Amsterdam'));
    const events: SignInEvent[] = [];
    const victimRows: SignInEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const e = p.ev(v, t0 + min(i * 35), APPS.teams, v.agents[1]!, home.ip, home.asn, home.loc, { logType: 'noninteractive', sessionId: session, device: 1 });
      victimRows.push(e);
      events.push(p.push(['token_reuse'], e));
    }
    for (let i = 0; i < 4; i++) {
      const e = p.ev(v, t0 + min(12 + i * 21), APPS.outlook, { ...BROWSER, ua: ATTACK_AGENTS.okhttp, browser: '', os: '' }, a.ip, a.asn, a.loc, { logType: 'noninteractive', sessionId: session, device: 1 });
      // The replayed token keeps the identifier it was issued with.
      if (i === 0) e.uti = victimRows[0]!.uti;
      events.push(p.push(['token_reuse'], e));
    }
    p.quietAround(v, t0, t0 + min(120));
    p.record('token_reuse', events, `session ${session} of ${v.identity.upn} used from ${home.ip} (DE) and ${a.ip} (NL)`);
  }

  // legacy_auth: IMAP, POP, SMTP, ActiveSync, "Other clients" and ROPC tooling.
  {
    const events: SignInEvent[] = [];
    const a = attackerAt(rng, 9009, cityByName('Bucharest'));
    const t0 = at(0.3, 4);
    const imap: Agent = { ua: '', os: '', browser: '', clientApp: 'IMAP4' as Agent['clientApp'] };
    for (const [i, v] of [p.victim('NO'), p.victim('GB')].entries()) {
      for (let k = 0; k < 2; k++) {
        events.push(p.push(['legacy_auth'], p.ev(v, t0 + min(i * 7 + k * 2), APPS.outlook, imap, a.ip, a.asn, a.loc, { error: ERRORS.badPassword, mfa: 'none', sessionId: '' })));
      }
      p.quietAround(v, t0, t0 + min(20));
    }
    const smtpUser = p.victim('NO', 'Oslo');
    const office = smtpUser.office[0] ?? tenant.offices[0]!;
    for (let k = 0; k < 3; k++) {
      events.push(p.push(['legacy_auth'], p.ev(smtpUser, at(0.33, 9) + min(k * 55), APPS.outlook, { ua: '', os: '', browser: '', clientApp: 'Authenticated SMTP' as Agent['clientApp'] }, office.ip, office.asn, cityPoint(office.city), { mfa: 'none', sessionId: '' })));
    }
    const eas = p.victim();
    const easHome = p.home(eas);
    for (let k = 0; k < 3; k++) {
      events.push(p.push(['legacy_auth'], p.ev(eas, at(0.47, 6) + min(k * 40), APPS.outlook, { ua: 'Apple-iPhone15C2/2206.100', os: 'Ios', browser: '', clientApp: 'Exchange ActiveSync' as Agent['clientApp'] }, easHome.ip, easHome.asn, easHome.loc, { mfa: 'none', device: 2, sessionId: '' })));
    }
    const pop = p.victim();
    const popHome = p.home(pop);
    for (let k = 0; k < 2; k++) {
      const e = p.ev(pop, at(0.52, 10) + min(k * 3), APPS.outlook, { ua: '', os: '', browser: '', clientApp: 'POP3' as Agent['clientApp'] }, popHome.ip, popHome.asn, popHome.loc, { error: ERRORS.caBlock, mfa: 'none', sessionId: '' });
      e.caPolicies = e.caPolicies.map((c) => (c.displayName === 'Block legacy authentication' ? { ...c, result: 'failure' } : { ...c, result: 'notApplied' }));
      events.push(p.push(['legacy_auth'], e));
    }
    const other = p.victim();
    const otherHome = p.home(other);
    for (let k = 0; k < 2; k++) {
      events.push(p.push(['legacy_auth'], p.ev(other, at(0.69, 11) + min(k * 30), APPS.outlook, { ua: 'Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.7268; Pro; MSOffice 14)', os: 'Windows 7', browser: '', clientApp: 'Other clients' as Agent['clientApp'] }, otherHome.ip, otherHome.asn, otherHome.loc, { mfa: 'none', sessionId: '' })));
    }
    const aws = attackerAt(rng, 14618, cityByName('Ashburn'));
    for (const [i, v] of [p.victim('US'), p.victim('NO')].entries()) {
      const e = p.ev(v, at(0.44, 5) + min(i * 4), APPS.aadPowerShell, { ua: ATTACK_AGENTS.bareMozilla, os: '', browser: 'Mozilla', clientApp: 'Mobile Apps and Desktop clients' }, aws.ip, aws.asn, aws.loc, { error: ERRORS.badPassword, mfa: 'none', sessionId: '' });
      e.authProtocol = 'ropc';
      events.push(p.push(['legacy_auth'], e));
      p.quietAround(v, e.t, e.t);
    }
    p.record('legacy_auth', events, 'IMAP4, Authenticated SMTP, Exchange ActiveSync, POP3, Other clients and ROPC sign-ins');
  }

  // device_code: a phished device code redeemed through the Authentication Broker.
  {
    const v = p.victim('NO');
    const t0 = at(0.65, 9);
    const home = p.home(v);
    const events: SignInEvent[] = [];
    const first = p.ev(v, t0, APPS.broker, EDGE, home.ip, home.asn, home.loc, { mfa: 'claim', sessionId: rng.guid() });
    first.authProtocol = 'deviceCode';
    first.originalTransferMethod = 'deviceCodeFlow';
    // The victim's own row opens the session the attacker then uses from abroad.
    events.push(p.push(['device_code', 'token_reuse'], first));
    const a = attackerAt(rng, 14618, cityByName('Ashburn'));
    for (let i = 0; i < 5; i++) {
      const e = p.ev(v, t0 + min(6 + i * 13), APPS.broker, { ...BROWSER, ua: ATTACK_AGENTS.python, browser: '', os: '' }, a.ip, a.asn, a.loc, { logType: 'noninteractive', sessionId: first.sessionId });
      e.originalTransferMethod = 'deviceCodeFlow';
      e.incomingTokenType = 'refreshToken';
      events.push(p.push(['device_code', 'token_reuse'], e));
    }
    p.quietAround(v, t0, t0 + min(70));
    p.record('device_code', events, `device code sign-in for ${v.identity.upn} via Microsoft Authentication Broker, tokens then used from ${a.ip}`);
    // A conference-room panel legitimately uses the device code flow from the office.
    const room = p.victim('NO', 'Oslo');
    const off = room.office[0] ?? tenant.offices[0]!;
    const r1 = p.ev(room, at(0.4, 8), APPS.teams, { ua: 'Mozilla/5.0 (Linux; Android 12; Teams Rooms) AppleWebKit/537.36', os: 'Android', browser: 'Chrome Mobile', clientApp: 'Mobile Apps and Desktop clients' }, off.ip, off.asn, cityPoint(off.city), { mfa: 'none', sessionId: rng.guid() });
    r1.authProtocol = 'deviceCode';
    r1.originalTransferMethod = 'deviceCodeFlow';
    p.push(['device_code'], r1);
    p.record('device_code', [r1], `device code sign-in of ${room.identity.upn} to Microsoft Teams from the office`);
  }

  // passthrough: cross-tenant passthrough attempts fail by design, from one address.
  {
    const t0 = at(0.45, 13);
    const msIp = ipIn(rng, hostingNet(8075));
    const events: SignInEvent[] = [];
    const externals = ['marta.k@outlook.com', 'jonas.b@hotmail.com', 'li.wei@live.com', 'p.adeyemi@outlook.com', 'r.santos@hotmail.com', 'k.novak@outlook.com', 'h.ito@live.com'];
    externals.forEach((upn, i) => {
      const fake: User = { ...tenant.users[0]!, index: -1 - i, identity: { id: rng.guid(), displayName: upn.split('@')[0]!, upn, userType: 'Guest', homeTenantId: '9188040d-6c67-4c5b-b112-36a304b66dad', homeTenantName: 'Microsoft Accounts' } };
      const e = p.ev(fake, t0 + min(i), APPS.officeHome, BROWSER, msIp, 8075, cityPoint(cityByName('Dublin')), { error: i % 2 ? ERRORS.badPassword : ERRORS.externalNotInTenant, mfa: 'none', sessionId: rng.guid() });
      e.crossTenant = 'passthrough';
      events.push(p.push(['passthrough'], e));
    });
    p.record('passthrough', events, `${externals.length} passthrough sign-ins from ${msIp}, failing by design`);
  }

  // ca_failure_burst: one user hammering a Conditional Access block.
  {
    const v = p.victim();
    const home = p.home(v);
    const t0 = at(0.7, 10);
    const events: SignInEvent[] = [];
    for (let i = 0; i < 9; i++) events.push(p.push(['ca_failure_burst'], p.ev(v, t0 + sec(i * rng.range(40, 80)), APPS.azurePortal, v.agents[0]!, home.ip, home.asn, home.loc, { error: ERRORS.caBlock, mfa: 'claim' })));
    p.quietAround(v, t0, t0 + min(15));
    p.record('ca_failure_burst', events, `9 Conditional Access blocks for ${v.identity.upn} on the Azure Portal`);
  }

  // risky_signin: Identity Protection's own verdict, carried by JSON exports only.
  {
    const v = p.victim();
    const a = attackerAt(rng, 9009, cityByName('Bucharest'));
    const t0 = at(0.75, 1);
    const e1 = p.ev(v, t0, APPS.officeHome, BROWSER, a.ip, a.asn, a.loc, { error: ERRORS.caBlock, mfa: 'none', sessionId: rng.guid() });
    Object.assign(e1, { riskDuring: 'high', riskAggregated: 'high', riskState: 'atRisk', riskDetail: 'none', riskEventTypes: ['anonymizedIPAddress', 'unfamiliarFeatures'], flagged: false, needsJson: true });
    const v2 = p.victim();
    const h2 = p.home(v2);
    const e2 = p.ev(v2, at(0.77, 9), APPS.sharepoint, v2.agents[0]!, h2.ip, h2.asn, h2.loc, { mfa: 'completed' });
    Object.assign(e2, { riskDuring: 'medium', riskAggregated: 'medium', riskState: 'remediated', riskDetail: 'userPassedMFADrivenByRiskBasedPolicy', riskEventTypes: ['unfamiliarFeatures'], needsJson: true });
    p.push(['risky_signin'], e1);
    p.push(['risky_signin'], e2);
    p.quietAround(v, t0, t0);
    p.record('risky_signin', [e1, e2], 'a high-risk sign-in from an anonymising network and a medium-risk one remediated by MFA');
  }

  // interactive_mismatch: the record's own flag disagrees with the log it came from.
  {
    const events: SignInEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const v = p.victim();
      const h = p.home(v);
      const e = p.ev(v, at(0.4 + i * 0.05, 10), APPS.teams, v.agents[1]!, h.ip, h.asn, h.loc, { logType: 'noninteractive', device: 1 });
      e.isInteractive = true;
      e.needsJson = true;
      events.push(p.push(['interactive_mismatch'], e));
    }
    for (let i = 0; i < 2; i++) {
      const v = p.victim();
      const h = p.home(v);
      const e = p.ev(v, at(0.6 + i * 0.08, 9), APPS.officeHome, v.agents[0]!, h.ip, h.asn, h.loc, { mfa: 'completed' });
      e.isInteractive = false;
      e.authSteps = [{ method: 'FIDO2 security key', detail: 'YubiKey 5 NFC', succeeded: true, result: 'MFA successfully completed', requirement: 'Primary authentication' }];
      e.mfaMethod = 'FIDO2 security key';
      e.needsJson = true;
      events.push(p.push(['interactive_mismatch'], e));
    }
    p.record('interactive_mismatch', events, 'non-interactive rows flagged interactive, and FIDO2 interactive rows flagged non-interactive');
  }

  // new_country: a first successful sign-in from a country the user was never seen in.
  {
    const v = p.victim('SE');
    const t0 = at(0.85, 12);
    const ist = cityByName('Istanbul');
    const e = p.push(['new_country'], p.ev(v, t0, APPS.outlookMobile, v.agents[2]!, ipIn(rng, networkFor(rng, 'TR')), 9121, cityPoint(ist), { device: 2, sessionId: rng.guid() }));
    p.quietAround(v, t0, t0);
    p.record('new_country', [e], `${v.identity.upn} signed in from Istanbul, a country not seen for them before`);
  }

  // Hostile text that must stay data in every view and export.
  {
    const agents = [ATTACK_AGENTS.hostileFormula, ATTACK_AGENTS.hostileHtml, ATTACK_AGENTS.hostileMultiline];
    agents.forEach((ua, i) => {
      const v = p.victim();
      const h = p.home(v);
      const e = p.ev(v, at(0.28 + i * 0.02, 11), APPS.officeHome, { ...v.agents[0]!, ua }, h.ip, h.asn, h.loc);
      p.push([], e);
      p.out.hostileRows.push(e.id);
    });
  }
}

export function plantIncidents(tenant: Tenant, seed: string, sets: number): PlantedSet {
  const p = new Planter(Rng.derive(seed, 'incidents'), tenant);
  const span = tenant.spanEnd - tenant.spanStart;
  for (let k = 0; k < sets; k++) {
    const shift = k * 0.037;
    plantSet(p, (fraction, hourUtc) => {
      let f = fraction + shift;
      while (f > 0.95) f -= 0.7;
      const day = Math.floor((tenant.spanStart + f * span) / TIME.DAY) * TIME.DAY;
      const t = day + hourUtc * TIME.HOUR + p.rng.int(50) * 60_000;
      return Math.min(Math.max(t, tenant.spanStart), tenant.spanEnd - 3 * TIME.HOUR);
    });
  }
  p.out.events.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return p.out;
}
