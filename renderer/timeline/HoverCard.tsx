import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { HistogramResult, LanesResult, StackBy } from '../../electron/api/methods/timeline';
import type { FilterState } from '../../electron/api/schemas/filter';
import type { Hover } from './TimelineChart';
import { seriesColor } from './timelineOption';
import { statusColor, type TimelinePalette } from './palette';
import { formatInZone, formatRange } from './zoneTime';
import { visibleNodes } from '../text/visibleText';

const STATUS = ['success', 'failure', 'interrupted', 'other'];
const fmt = (n: number) => n.toLocaleString('en-US');

interface Props {
  hover: Hover;
  hist: HistogramResult;
  lanes: LanesResult | null;
  /** The filter `lanes` were drawn under. */
  lanesFilter: FilterState | null;
  zone: string;
  palette: TimelinePalette;
  stackBy: StackBy;
}

/** The floating read-out under the pointer: bucket counts per series, or one mark's sign-in. */
export function HoverCard(props: Props) {
  const { hover } = props;
  const style = { left: hover.x + 16, top: hover.y + 12 };
  const size = hover.kind === 'bucket' ? props.hist.starts.length : hover.kind === 'mark' ? (props.lanes?.marks.t.length ?? 0) : (props.lanes?.lanes.length ?? 0);
  if (hover.index < 0 || hover.index >= size) return null;
  return (
    <div className="tl-hover" style={style} role="tooltip" data-testid="timeline-hover">
      {hover.kind === 'bucket' && <BucketCard {...props} index={hover.index} />}
      {hover.kind === 'mark' && props.lanes && <MarkCard {...props} lanes={props.lanes} index={hover.index} />}
      {hover.kind === 'lane' && props.lanes && <LaneCard {...props} lanes={props.lanes} index={hover.index} />}
    </div>
  );
}

function BucketCard({ hist, zone, palette, stackBy, index }: Props & { index: number }) {
  const rows = hist.series.map((s, k) => ({ s, k, n: hist.counts[k]![index]! })).filter((r) => r.n > 0 || hist.series.length <= 4);
  const total = hist.counts.reduce((a, c) => a + c[index]!, 0);
  const start = hist.starts[index]!;
  const end = hist.ends[index]!;
  const spike = hist.spikes.find((s) => s.start === start);
  const tagged = hist.tagged.find((m) => m.start === start)?.count ?? 0;
  const inFindings = hist.findings.find((m) => m.start === start)?.count ?? 0;
  return (
    <>
      <div className="tl-hover-title">
        {formatRange(zone, start, end)} <span className="muted">({zone})</span>
      </div>
      <table>
        <tbody>
          {rows.map(({ s, k, n }) => (
            <tr key={k}>
              <td>
                <span className="tl-swatch" style={{ background: seriesColor({ stackBy, palette }, s, k) }} />
                {visibleNodes(s.label)}
              </td>
              <td className="num">{fmt(n)}</td>
            </tr>
          ))}
          <tr className="total">
            <td>Total</td>
            <td className="num">{fmt(total)}</td>
          </tr>
        </tbody>
      </table>
      {spike && <div className="tl-hover-note">Spike: {fmt(spike.count)} vs a median of {fmt(Math.round(spike.median))} around it</div>}
      {tagged > 0 && <div className="tl-hover-note">{fmt(tagged)} tagged</div>}
      {inFindings > 0 && <div className="tl-hover-note">{fmt(inFindings)} in findings</div>}
      <div className="tl-hover-hint muted">Click to select this bucket · drag to select a range</div>
    </>
  );
}

interface RecordSummary {
  ip: string | null;
  app: string | null;
  place: string | null;
  reason: string | null;
  code: string | null;
}

function MarkCard({ lanes, zone, palette, index }: Props & { lanes: LanesResult; index: number }) {
  const m = lanes.marks;
  const lane = lanes.lanes[m.lane[index]!];
  const single = m.n[index] === 1;
  const rowId = m.rowId[index]!;
  const [record, setRecord] = useState<RecordSummary | null>(null);
  useEffect(() => {
    if (!single) return;
    let live = true;
    setRecord(null);
    void api
      .getRecord({ rowId })
      .then((r) => {
        if (!live || !r) return;
        const s = (k: string) => (r[k] === null || r[k] === undefined || r[k] === '' ? null : String(r[k]));
        setRecord({
          ip: s('ip_address'),
          app: s('app_display_name'),
          place: [s('city'), s('country')].filter(Boolean).join(', ') || null,
          reason: s('failure_reason'),
          code: s('error_code'),
        });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [rowId, single]);
  const status = m.status[index]!;
  return (
    <>
      <div className="tl-hover-title">{lane ? visibleNodes(lane.label) : null}</div>
      <div>
        <span className="tl-swatch" style={{ background: statusColor(palette, status) }} />
        {single ? STATUS[status] : `${fmt(m.n[index]!)} × ${STATUS[status]}`}
      </div>
      <div className="muted">{single ? `${formatInZone(zone, m.t[index]!, true)} (${zone})` : `${formatRange(zone, m.t[index]!, m.end[index]!)} (${zone})`}</div>
      {single && record && (
        <table>
          <tbody>
            {record.ip && (
              <tr>
                <td>IP</td>
                <td>{record.ip}</td>
              </tr>
            )}
            {record.app && (
              <tr>
                <td>App</td>
                <td>{record.app}</td>
              </tr>
            )}
            {record.place && (
              <tr>
                <td>Place</td>
                <td>{record.place}</td>
              </tr>
            )}
            {record.code && record.code !== '0' && (
              <tr>
                <td>Error</td>
                <td>
                  {record.code}
                  {record.reason ? ` · ${record.reason.slice(0, 120)}` : ''}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      <div className="tl-hover-hint muted">{single ? `Row ${rowId} · click to select it` : 'Click to select these sign-ins'}</div>
    </>
  );
}

/** Distinct counts asked so far, per lanes result (a new result, filter or window asks again). */
const distinctAsked = new WeakMap<LanesResult, Map<number, Promise<number>>>();

/** The lane's exact distinct IPs (users for IP lanes) in the lanes' window, asked once per lanes result. */
function askDistinct(lanes: LanesResult, filter: FilterState, index: number): Promise<number> {
  const lane = lanes.lanes[index]!;
  if (!lanes.window || lane.total === 0) return Promise.resolve(0);
  let asked = distinctAsked.get(lanes);
  if (!asked) distinctAsked.set(lanes, (asked = new Map()));
  let p = asked.get(index);
  if (!p) {
    p = api.timelineLaneDistinct({ filter, range: lanes.window, lane: { by: lanes.by, value: lane.key } }).then((r) => r.distinct);
    asked.set(index, p);
    const forget = asked;
    p.catch(() => forget.delete(index));
  }
  return p;
}

function LaneCard({ lanes, lanesFilter, zone, index }: Props & { lanes: LanesResult; index: number }) {
  const l = lanes.lanes[index]!;
  const distinctLabel = lanes.by === 'ip' ? 'users' : 'IP addresses';
  const [distinct, setDistinct] = useState<{ lanes: LanesResult; index: number; n: number | 'failed' } | null>(null);
  useEffect(() => {
    if (!lanesFilter) return;
    let live = true;
    askDistinct(lanes, lanesFilter, index).then(
      (n) => live && setDistinct({ lanes, index, n }),
      () => live && setDistinct({ lanes, index, n: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [lanes, lanesFilter, index]);
  const shown = distinct && distinct.lanes === lanes && distinct.index === index ? distinct.n : null;
  return (
    <>
      <div className="tl-hover-title">{visibleNodes(l.label)}</div>
      <table>
        <tbody>
          <tr>
            <td>Sign-ins in view</td>
            <td className="num">{fmt(l.total)}</td>
          </tr>
          <tr>
            <td>success / failure / interrupted</td>
            <td className="num">
              {fmt(l.success)} / {fmt(l.failure)} / {fmt(l.interrupted)}
            </td>
          </tr>
          <tr>
            <td>Distinct {distinctLabel}</td>
            <td className="num" data-testid="timeline-lane-distinct" aria-busy={shown === null}>
              {shown === null ? <span className="muted">counting…</span> : shown === 'failed' ? <span className="muted">unavailable</span> : fmt(shown)}
            </td>
          </tr>
          {l.firstSeen !== null && l.lastSeen !== null && (
            <tr>
              <td>Seen</td>
              <td>{formatRange(zone, l.firstSeen, l.lastSeen)}</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="tl-hover-hint muted">{l.aggregated ? 'Dense lane: marks are per-bucket counts · ' : ''}Click the name to filter to it</div>
    </>
  );
}
