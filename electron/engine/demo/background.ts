import { Rng } from './random';
import { APPS, ERRORS, INTERACTIVE_APPS, NONINTERACTIVE_APPS, type ErrorInfo } from './catalog';
import { cityPoint, countryPoint, sessionFor, userEvent, workloadEvent } from './builders';
import type { GeoPoint, NoiseKind, SignInEvent } from './event';
import { distanceKm, TIME, whereIs, type Tenant, type User } from './tenant';
import { COUNTRY_CENTROIDS } from './catalog';

/** Relative sign-in activity by local hour: quiet nights, a morning ramp, a working-day plateau. */
const DIURNAL = [0.05, 0.04, 0.03, 0.03, 0.04, 0.08, 0.2, 0.5, 0.85, 1, 1, 0.95, 0.8, 0.95, 1, 0.95, 0.85, 0.6, 0.4, 0.3, 0.25, 0.2, 0.12, 0.08];
/** Devices keep refreshing tokens around the clock, so rows never fall to zero at night. */
const NIGHT_FLOOR = 0.06;
const SP_SHARE = 0.1;
const MI_SHARE = 0.04;

function localClock(user: User, t: number): { hour: number; weekend: boolean } {
  const local = new Date(t + user.utcOffset * TIME.HOUR);
  const day = local.getUTCDay();
  return { hour: local.getUTCHours(), weekend: day === 0 || day === 6 };
}

function activityAt(user: User, t: number): number {
  if (!whereIs(user, t)) return 0;
  const { hour, weekend } = localClock(user, t);
  return user.activity * (NIGHT_FLOOR + (DIURNAL[hour] ?? 0) * (weekend ? 0.18 : 1));
}

/**
 * The tenant's everyday sign-ins, hour by hour, in time order. The row budget is spread
 * over the hours by the users' combined activity, so weekdays and office hours are busy
 * and nights and weekends quiet. Each call to `hour` returns one hour's events (a few
 * thousand at most), so memory stays bounded whatever the total.
 */
export class Background {
  private readonly rng: Rng;
  private readonly hours: number;
  private readonly cumulative: Float64Array;
  private emitted = 0;
  /** Users whose country-only mobile location stays near the country centroid. */
  private readonly centroidOk: Set<number>;
  private readonly quiet = new Map<number, [number, number][]>();

  constructor(
    private readonly tenant: Tenant,
    seed: string,
    private readonly budget: number,
    /** Users that an incident needs quiet around some instants: [user index, from, to]. */
    quiet: readonly (readonly [number, number, number])[],
  ) {
    for (const [u, from, to] of quiet) {
      const list = this.quiet.get(u) ?? [];
      list.push([from, to]);
      this.quiet.set(u, list);
    }
    this.rng = Rng.derive(seed, 'background');
    this.hours = Math.ceil((tenant.spanEnd - tenant.spanStart) / TIME.HOUR);
    this.cumulative = new Float64Array(this.hours);
    let total = 0;
    for (let h = 0; h < this.hours; h++) {
      const mid = tenant.spanStart + h * TIME.HOUR + TIME.HOUR / 2;
      let w = 0;
      for (const u of tenant.users) w += activityAt(u, mid);
      total += w / (1 - SP_SHARE - MI_SHARE);
      this.cumulative[h] = total;
    }
    this.centroidOk = new Set(
      tenant.users
        .filter((u) => {
          const c = COUNTRY_CENTROIDS[u.home.country];
          return u.mobileCountryOnly && c !== undefined && distanceKm(u.home, c) < 250;
        })
        .map((u) => u.index),
    );
  }

  get hourCount(): number {
    return this.hours;
  }

  private targetAfter(h: number): number {
    const total = this.cumulative[this.hours - 1] ?? 1;
    return Math.round((this.budget * (this.cumulative[h] ?? total)) / total);
  }

  private isQuiet(user: User, t: number): boolean {
    const list = this.quiet.get(user.index);
    if (!list) return false;
    for (const [from, to] of list) if (t >= from && t <= to) return true;
    return false;
  }

  /** One hour's background events (unsorted; the caller merges by time). */
  hour(h: number): SignInEvent[] {
    const out: SignInEvent[] = [];
    const target = this.targetAfter(h);
    const start = this.tenant.spanStart + h * TIME.HOUR;
    const mid = start + TIME.HOUR / 2;
    const users = this.tenant.users;
    const cum = new Float64Array(users.length);
    let acc = 0;
    for (let i = 0; i < users.length; i++) {
      acc += activityAt(users[i]!, mid);
      cum[i] = acc;
    }
    while (this.emitted < target) {
      const remaining = target - this.emitted;
      const t = start + this.rng.int(3600) * 1000;
      const r = this.rng.next();
      let events: SignInEvent[];
      if (r < SP_SHARE || acc === 0) events = [workloadEvent(this.rng, this.tenant, 'serviceprincipal', t, this.rng.int(1000))];
      else if (r < SP_SHARE + MI_SHARE) events = [workloadEvent(this.rng, this.tenant, 'managedidentity', t, this.rng.int(1000))];
      else {
        const x = this.rng.next() * acc;
        let lo = 0;
        let hi = users.length - 1;
        while (lo < hi) {
          const m = (lo + hi) >> 1;
          if ((cum[m] ?? 0) > x) hi = m;
          else lo = m + 1;
        }
        const user = users[lo]!;
        const place = whereIs(user, t);
        if (!place || this.isQuiet(user, t)) events = [workloadEvent(this.rng, this.tenant, 'serviceprincipal', t, this.rng.int(1000))];
        else events = this.userEvents(user, t, place.city === user.home ? null : place, remaining);
      }
      for (const e of events) out.push(e);
      this.emitted += events.length;
    }
    return out;
  }

  private where(user: User, t: number, device: number, trip: ReturnType<typeof whereIs>): { ip: string; asn: number | null; loc: GeoPoint; noise: NoiseKind | null; key: string } {
    const rng = this.rng;
    if (trip && trip.trip) {
      const tr = trip.trip;
      return { ip: tr.hotelIp, asn: tr.hotelAsn, loc: cityPoint(tr.city), noise: 'traveller', key: `trip${tr.depart}` };
    }
    const phone = device === 2;
    if (phone) {
      const prefix = rng.pick(user.mobileNet.prefixes);
      const ip = `${prefix}.${rng.range(0, 255)}.${rng.range(1, 254)}`;
      if (this.centroidOk.has(user.index) && rng.chance(0.5)) return { ip, asn: user.mobileNet.asn, loc: countryPoint(user.home.country), noise: 'country_centroid', key: 'home' };
      return { ip, asn: user.mobileNet.asn, loc: cityPoint(user.home), noise: null, key: 'home' };
    }
    const { hour, weekend } = localClock(user, t);
    if (user.office.length > 0 && !weekend && hour >= 8 && hour < 17 && rng.chance(0.85)) {
      const o = user.office[user.index % user.office.length]!;
      return { ip: o.ip, asn: o.asn, loc: cityPoint(o.city), noise: 'shared_nat', key: 'home' };
    }
    if (user.usesVpn && rng.chance(0.5)) {
      const v = this.tenant.vpn.find((x) => x.city.country === user.home.country);
      if (v) return { ip: v.ip, asn: v.asn, loc: cityPoint(v.city), noise: 'vpn', key: 'home' };
    }
    return { ip: user.homeIp, asn: user.homeAsn, loc: cityPoint(user.home), noise: null, key: 'home' };
  }

  private userEvents(user: User, t: number, trip: ReturnType<typeof whereIs>, remaining: number): SignInEvent[] {
    const rng = this.rng;
    const interactive = rng.chance(0.33);
    const d = rng.next();
    const device = d < 0.5 ? 0 : d < 0.8 ? 1 : 2;
    const agent = user.agents[device]!;
    const w = this.where(user, t, device, trip);
    const base = {
      t,
      user,
      agent,
      device,
      ip: w.ip,
      asn: w.asn,
      loc: w.loc,
      sessionId: sessionFor(this.tenant, user, device, t, w.key),
    };
    const tag = (e: SignInEvent, noise: NoiseKind | null = w.noise): SignInEvent => {
      e.noise = noise;
      return e;
    };
    if (!interactive) {
      const app = rng.weighted(NONINTERACTIVE_APPS);
      const err: ErrorInfo | undefined = rng.chance(0.015) ? rng.pick([ERRORS.sessionExpired, ERRORS.ssoNotEnough, ERRORS.interactionRequired]) : undefined;
      return [tag(userEvent(rng, this.tenant, { ...base, logType: 'noninteractive', app, error: err }))];
    }
    const app = rng.weighted(INTERACTIVE_APPS);
    const r = rng.next();
    const spec = { ...base, logType: 'interactive' as const, app };
    if (r < user.mistypeRate && remaining >= 3) {
      // Mistyped password once or twice, then in.
      const n = rng.chance(0.7) ? 1 : 2;
      const correlationId = rng.guid();
      const seq: SignInEvent[] = [];
      for (let i = 0; i < n; i++) seq.push(tag(userEvent(rng, this.tenant, { ...spec, t: t + i * rng.range(8, 40) * 1000, error: ERRORS.badPassword, mfa: 'none', correlationId }), 'mistype'));
      seq.push(tag(userEvent(rng, this.tenant, { ...spec, t: t + n * 45_000, correlationId }), 'mistype'));
      return seq;
    }
    if (r < user.mistypeRate + 0.05 && remaining >= 2) {
      // MFA required interrupt, then the completed sign-in: the everyday two-row pattern.
      const correlationId = rng.guid();
      return [
        tag(userEvent(rng, this.tenant, { ...spec, error: ERRORS.mfaRequired, status: 'interrupted', mfa: 'none', correlationId })),
        tag(userEvent(rng, this.tenant, { ...spec, t: t + rng.range(10, 50) * 1000, mfa: 'completed', correlationId })),
      ];
    }
    if (r < user.mistypeRate + 0.11) return [tag(userEvent(rng, this.tenant, { ...spec, error: ERRORS.kmsi, status: 'interrupted', mfa: 'claim' }))];
    if (r < user.mistypeRate + 0.125) return [tag(userEvent(rng, this.tenant, { ...spec, error: rng.pick([ERRORS.ssoNotEnough, ERRORS.interactionRequired, ERRORS.sessionExpired]) }))];
    if (r < user.mistypeRate + 0.13) return [tag(userEvent(rng, this.tenant, { ...spec, error: ERRORS.mfaDenied, mfa: rng.chance(0.5) ? 'denied' : 'noResponse' }), 'single_mfa_denial')];
    if (r < user.mistypeRate + 0.134) {
      const app2 = APPS.azurePortal;
      return [tag(userEvent(rng, this.tenant, { ...spec, app: app2, error: ERRORS.caBlock, mfa: 'claim' }), 'single_ca_block')];
    }
    return [tag(userEvent(rng, this.tenant, spec))];
  }
}
