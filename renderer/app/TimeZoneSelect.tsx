import { useMemo } from 'react';
import { setTimeZone, useAppState } from '../state/store';
import { allTimeZones, resolveZone } from '../state/timeZone';

/** One display time zone for every view; UTC unless the user picks another. */
export function TimeZoneSelect() {
  const zone = useAppState((s) => s.timeZone);
  const zones = useMemo(() => allTimeZones().filter((z) => z !== 'UTC'), []);
  return (
    <label className="tz" title="Time zone used to show every time in the app">
      <span>Time zone</span>
      <select value={zone} onChange={(e) => setTimeZone(e.target.value)} aria-label="Time zone">
        <option value="UTC">UTC</option>
        <option value="local">Local ({resolveZone('local')})</option>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </label>
  );
}
