import { FINDING_KINDS, type FindingKind, type NoiseKind, type SignInEvent } from './event';
import { distanceKm } from './tenant';

/** What a finding of each kind should report on the generated data. */
export interface KindTruth {
  request_ids: string[];
  users: string[];
  ips: string[];
}

export interface GroundTruth {
  generator: string;
  seed: string;
  rows: number;
  span: { from: string; to: string };
  files: { path: string; shape: string; logTypes: string[]; rows: number }[];
  /**
   * Per finding kind, the rows a correct detector reports. Planted kinds are the rows
   * placed by the incident planter; `impossible_travel` and `new_country` are derived by
   * replaying the whole stream (an attack's foreign success is also a new country and
   * may also be impossible travel), using the rules in `rules` below.
   */
  kinds: Record<FindingKind, KindTruth>;
  incidents: { kind: FindingKind; users: string[]; ips: string[]; requestIds: string[]; note: string }[];
  /** Background rows that resemble attacks but are not (first 5,000 of each). */
  noise: Record<NoiseKind, { count: number; request_ids: string[] }>;
  hostile_rows: string[];
  rules: {
    impossible_travel: { speed_kmh: number; min_distance_km: number; shared_ips: string[]; note: string };
    new_country: { learning_days: number; note: string };
  };
}

const NOISE_KINDS: NoiseKind[] = ['traveller', 'shared_nat', 'mistype', 'vpn', 'country_centroid', 'single_mfa_denial', 'single_ca_block'];
const NOISE_CAP = 5000;

/** Replays the time-ordered stream and records the truth as rows go by (bounded memory). */
export class TruthTracker {
  private readonly kinds = new Map<FindingKind, { ids: string[]; users: Set<string>; ips: Set<string> }>();
  private readonly noise = new Map<NoiseKind, { count: number; ids: string[] }>();
  private readonly lastPoint = new Map<string, { t: number; lat: number; lon: number; r: number; id: string; ip: string }>();
  private readonly seenCountries = new Map<string, Set<string>>();
  private readonly firstSuccess = new Map<string, number>();
  private readonly travelIds = new Set<string>();

  constructor(
    private readonly sharedIps: ReadonlySet<string>,
    readonly speedKmh = 900,
    readonly minDistanceKm = 300,
    readonly learningDays = 7,
  ) {
    for (const k of FINDING_KINDS) this.kinds.set(k, { ids: [], users: new Set(), ips: new Set() });
    for (const n of NOISE_KINDS) this.noise.set(n, { count: 0, ids: [] });
  }

  private add(kind: FindingKind, e: SignInEvent): void {
    const k = this.kinds.get(kind)!;
    if (kind === 'impossible_travel') {
      if (this.travelIds.has(e.id)) return;
      this.travelIds.add(e.id);
    }
    k.ids.push(e.id);
    if (e.user) k.users.add(e.user.upn);
    if (e.ip) k.ips.add(e.ip);
  }

  private byId = new Map<string, SignInEvent>();

  observe(e: SignInEvent): void {
    for (const kind of e.planted) if (kind !== 'impossible_travel' && kind !== 'new_country') this.add(kind, e);
    if (e.noise) {
      const n = this.noise.get(e.noise)!;
      n.count++;
      if (n.ids.length < NOISE_CAP) n.ids.push(e.id);
    }
    if (!e.user || e.status !== 'success') return;
    const who = e.user.upn;
    // new_country: first success from a country after the user's learning period.
    if (e.loc?.country) {
      const first = this.firstSuccess.get(who) ?? e.t;
      if (!this.firstSuccess.has(who)) this.firstSuccess.set(who, e.t);
      let seen = this.seenCountries.get(who);
      if (!seen) this.seenCountries.set(who, (seen = new Set()));
      if (!seen.has(e.loc.country)) {
        seen.add(e.loc.country);
        if (e.t >= first + this.learningDays * 86_400_000) this.add('new_country', e);
      }
    }
    // impossible_travel: consecutive located successes, shared egress addresses left out.
    if (e.loc && !this.sharedIps.has(e.ip)) {
      const r = e.loc.precision === 'country' ? 300 : 50;
      const prev = this.lastPoint.get(who);
      if (prev) {
        const d = distanceKm(prev, e.loc);
        const hours = (e.t - prev.t) / 3_600_000;
        if (d >= this.minDistanceKm && d - prev.r - r > this.speedKmh * hours) {
          const p = this.byId.get(prev.id);
          if (p) this.add('impossible_travel', p);
          this.add('impossible_travel', e);
        }
      }
      const old = this.lastPoint.get(who);
      if (old) this.byId.delete(old.id);
      this.lastPoint.set(who, { t: e.t, lat: e.loc.lat, lon: e.loc.lon, r, id: e.id, ip: e.ip });
      this.byId.set(e.id, e);
    }
  }

  kindTruth(): Record<FindingKind, KindTruth> {
    const out = {} as Record<FindingKind, KindTruth>;
    for (const [kind, k] of this.kinds) out[kind] = { request_ids: k.ids, users: [...k.users].sort(), ips: [...k.ips].sort() };
    return out;
  }

  noiseTruth(): GroundTruth['noise'] {
    const out = {} as GroundTruth['noise'];
    for (const [kind, n] of this.noise) out[kind] = { count: n.count, request_ids: n.ids };
    return out;
  }
}
