import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { FilterState } from '../../electron/api/schemas/filter';
import type { TravelSegmentDto } from '../../electron/api/methods/geo';
import { formatHours } from './WorldCanvas';

type TravelUser = Awaited<ReturnType<typeof api.geoTravelUsers>>[number];

const ALL = '';

/**
 * Travel: one user's consecutive located sign-ins as arcs (or every user's impossible
 * segments), with the speed threshold and the list of segments. Picking a segment
 * filters the grid to its two rows.
 */
export function TravelPanel(props: {
  filter: FilterState;
  dataVersion: number;
  fmt(iso: string): string;
  /** The display zone's label, after each time range. */
  zoneLabel: string;
  hot: number | null;
  onHover(i: number | null): void;
  onSegments(segs: TravelSegmentDto[], fitToken: string): void;
  onPick(s: TravelSegmentDto, mode: 'replace' | 'add'): void;
}) {
  const { filter, dataVersion, onSegments } = props;
  const [user, setUser] = useState<string>(ALL);
  const [speedText, setSpeedText] = useState('900');
  const [minText, setMinText] = useState('300');
  const [users, setUsers] = useState<TravelUser[]>([]);
  const [segments, setSegments] = useState<TravelSegmentDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const speedKmh = Math.max(1, Number(speedText) || 900);
  const minDistanceKm = Math.max(0, Number(minText) || 0);

  useEffect(() => {
    let live = true;
    api
      .geoTravelUsers({ filter, speedKmh, minDistanceKm, limit: 300 })
      .then((u) => live && setUsers(u))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [filter, dataVersion, speedKmh, minDistanceKm]);

  useEffect(() => {
    let live = true;
    setBusy(true);
    api
      .geoTravel({ filter, speedKmh, minDistanceKm, user: user === ALL ? undefined : user, all: user !== ALL, limit: user === ALL ? 2000 : 5000 })
      .then((r) => {
        if (!live) return;
        setSegments(r.segments);
        setError(null);
        onSegments(
          r.segments.filter((x) => x.distanceKm >= 1),
          `${user}|${r.segments.length}|${speedKmh}`,
        );
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [filter, dataVersion, user, speedKmh, minDistanceKm, onSegments]);

  const impossible = segments.filter((s) => s.impossible);
  // Consecutive sign-ins at the same place are not travel: counted, not listed.
  const moves = segments.filter((s) => s.distanceKm >= 1);
  const stays = segments.length - moves.length;
  const listed = user === ALL ? segments : [...moves].reverse();
  const drawnIndex = new Map(moves.map((s, i) => [s, i]));
  const flagged = users.filter((u) => u.impossible > 0).length;

  return (
    <section className="geo-travel" aria-label="Travel">
      <div className="geo-travel-controls">
        <label>
          User
          <select value={user} onChange={(e) => setUser(e.target.value)} aria-label="Travel user">
            <option value={ALL}>All users: impossible travel only ({flagged} users)</option>
            {users.map((u) => (
              <option key={u.user} value={u.user}>
                {u.impossible ? `⚠ ${u.user} (${u.impossible} impossible)` : `${u.user} (${u.signins.toLocaleString('en-US')})`}
              </option>
            ))}
          </select>
        </label>
        <div className="geo-travel-row">
          <label>
            Faster than
            <input type="number" min={1} step={50} value={speedText} onChange={(e) => setSpeedText(e.target.value)} aria-label="Speed threshold (km/h)" />
            km/h
          </label>
          <label>
            Ignore under
            <input type="number" min={0} step={50} value={minText} onChange={(e) => setMinText(e.target.value)} aria-label="Minimum distance (km)" />
            km
          </label>
        </div>
        <p className="geo-muted">
          Each point’s precision is allowed for: a segment is impossible only if, after subtracting both uncertainty radii (coordinates 25 km, city 50 km, country: its size),
          it still needs more than the speed.
        </p>
      </div>
      {error && (
        <div className="geo-error" role="alert">
          {error}
        </div>
      )}
      <h3>
        {user === ALL ? 'Impossible travel' : 'Segments'}{' '}
        <span className="geo-muted">
          {busy
            ? '…'
            : user === ALL
              ? `(${segments.length.toLocaleString('en-US')})`
              : `(${moves.length.toLocaleString('en-US')} moves, ${impossible.length} impossible; ${stays.toLocaleString('en-US')} at the same place)`}
        </span>
      </h3>
      <ol className="geo-segments" aria-label="Travel segments">
        {listed.map((s) => {
          const i = drawnIndex.get(s) ?? -1;
          return (
            <li
              key={`${s.fromRowId}-${s.toRowId}`}
              className={`${s.impossible ? 'impossible' : ''} ${props.hot === i ? 'hot' : ''}`}
              onMouseEnter={() => props.onHover(i)}
              onMouseLeave={() => props.onHover(null)}
              data-from-row={s.fromRowId}
              data-to-row={s.toRowId}
            >
              <div className="geo-seg-head">
                {user === ALL && <span className="geo-seg-user">{s.user}</span>}
                <span className="geo-seg-speed">{s.impossible ? `${Math.round(s.speedKmh).toLocaleString('en-US')} km/h` : `${Math.round(s.speedKmh).toLocaleString('en-US')} km/h`}</span>
              </div>
              <div className="geo-seg-places">
                {s.fromPlace ?? '?'} <span className="geo-muted">({s.precisions[0]})</span> → {s.toPlace ?? '?'} <span className="geo-muted">({s.precisions[1]})</span>
              </div>
              <div className="geo-seg-meta">
                {props.fmt(s.fromTime)} → {props.fmt(s.toTime)} ({props.zoneLabel}) · {Math.round(s.distanceKm).toLocaleString('en-US')} km in {formatHours(s.hours)}
              </div>
              <div className="geo-seg-meta">
                rows {s.fromRowId} → {s.toRowId}
                {s.fromIp || s.toIp ? ` · ${s.fromIp ?? '?'} → ${s.toIp ?? '?'}` : ''}
                <button className="geo-plain" onClick={() => props.onPick(s, 'replace')} title="Open the Sign-ins grid with these two sign-ins (replaces the current filter)">
                  Show both rows
                </button>
                <button className="geo-plain" onClick={() => props.onPick(s, 'add')} title="Add to the current filter (stay on the map)">
                  Add to filter
                </button>
              </div>
            </li>
          );
        })}
        {!busy && !segments.length && <li className="geo-muted">{user === ALL ? 'No impossible travel under this filter.' : 'No located consecutive sign-ins for this user.'}</li>}
      </ol>
    </section>
  );
}
