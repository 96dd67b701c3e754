import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { geoInterpolate } from 'd3-geo';
import type { MapClusterDto, TravelSegmentDto } from '../../electron/api/methods/geo';
import { buildBasemap, type Basemap } from './basemap';
import { failureColor, groupClusters, PRECISION_LABEL, type ScreenGroup } from './clusterLayout';
import { useDarkMode } from '../timeline/useDarkMode';

/**
 * The world map on a 2D canvas: bundled Natural Earth shapes, graticule, country labels,
 * sign-in clusters sized by count and coloured by failure share, and travel arcs along
 * great circles. Wheel or buttons zoom about a point, dragging pans. Nothing is fetched.
 */
export interface WorldCanvasProps {
  clusters: MapClusterDto[];
  segments: TravelSegmentDto[];
  showClusters: boolean;
  selectedKeys: ReadonlySet<string>;
  highlightSegment: number | null;
  /** Changes when the travel view should re-fit to its segments. */
  fitToken: string;
  formatTime(iso: string): string;
  /** The display zone's label, after each time range. */
  zoneLabel: string;
  onClusterClick(group: ScreenGroup): void;
  onSegmentClick(index: number): void;
  onSegmentHover(index: number | null): void;
}

interface View {
  k: number;
  x: number;
  y: number;
}

interface Theme {
  ocean: string;
  land: string;
  border: string;
  coast: string;
  graticule: string;
  label: string;
  halo: string;
  arc: string;
  impossible: string;
  bubbleStroke: string;
}

function readTheme(el: HTMLElement): Theme {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    ocean: v('--geo-ocean', '#dfe9f3'),
    land: v('--geo-land', '#f7f5ef'),
    border: v('--geo-border', '#b9b3a6'),
    coast: v('--geo-coast', '#9fb3c6'),
    graticule: v('--geo-graticule', 'rgba(120,140,160,0.25)'),
    label: v('--geo-label', '#59616b'),
    halo: v('--geo-halo', 'rgba(255,255,255,0.85)'),
    arc: v('--geo-arc', '#2459c6'),
    impossible: v('--geo-impossible', '#d0312d'),
    bubbleStroke: v('--geo-bubble-stroke', 'rgba(255,255,255,0.9)'),
  };
}

const MIN_K = 1;
const MAX_K = 60;

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k`;
  return String(n);
}

/** Great-circle arc in base-projection coordinates, split where it crosses the map edge. */
function arcRuns(base: Basemap, s: TravelSegmentDto, width: number): [number, number][][] {
  const interp = geoInterpolate([s.fromLon, s.fromLat], [s.toLon, s.toLat]);
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  let prev: [number, number] | null = null;
  const n = 64;
  for (let i = 0; i <= n; i++) {
    const p = base.projection(interp(i / n));
    if (!p) continue;
    if (prev && Math.abs(p[0] - prev[0]) > width / 3) {
      runs.push(run);
      run = [];
    }
    run.push([p[0], p[1]]);
    prev = [p[0], p[1]];
  }
  runs.push(run);
  return runs.filter((r) => r.length > 1);
}

export function WorldCanvas(props: WorldCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [view, setView] = useState<View>({ k: 1, x: 0, y: 0 });
  const [hover, setHover] = useState<{ x: number; y: number; group?: ScreenGroup; segment?: number } | null>(null);
  // The system's scheme or the theme chosen in Settings: either repaints the basemap in the other palette.
  const themeTick = useDarkMode();
  const drag = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean } | null>(null);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const base = useMemo(() => (size.w > 0 && size.h > 0 ? buildBasemap(size.w, size.h) : null), [size.w, size.h]);

  const projected = useMemo(() => {
    if (!base) return [];
    return props.clusters.flatMap((c) => {
      const p = base.projection([c.lon, c.lat]);
      return p ? [{ c, x: p[0], y: p[1] }] : [];
    });
  }, [base, props.clusters]);

  const maxCount = useMemo(() => props.clusters.reduce((m, c) => Math.max(m, c.count), 1), [props.clusters]);
  const groups = useMemo(() => (props.showClusters ? groupClusters(projected, view.k, maxCount) : []), [projected, view.k, maxCount, props.showClusters]);
  const arcs = useMemo(() => (base ? props.segments.map((s) => arcRuns(base, s, size.w)) : []), [base, props.segments, size.w]);

  // Fit the travel arcs into view when asked to (a new user was chosen).
  useEffect(() => {
    if (!base || !props.fitToken) return;
    const pts = arcs.flat(2);
    if (!pts.length) {
      setView({ k: 1, x: 0, y: 0 });
      return;
    }
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const x0 = Math.min(...xs);
    const x1 = Math.max(...xs);
    const y0 = Math.min(...ys);
    const y1 = Math.max(...ys);
    const k = Math.max(MIN_K, Math.min(12, 0.8 * Math.min(size.w / Math.max(x1 - x0, 1), size.h / Math.max(y1 - y0, 1))));
    setView({ k, x: size.w / 2 - ((x0 + x1) / 2) * k, y: size.h / 2 - ((y0 + y1) / 2) * k });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.fitToken, base]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    const wrap = wrapRef.current;
    if (!canvas || !wrap || !base) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size.w * dpr) || canvas.height !== Math.round(size.h * dpr)) {
      canvas.width = Math.round(size.w * dpr);
      canvas.height = Math.round(size.h * dpr);
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const t = readTheme(wrap);
    const { k, x, y } = view;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * x, dpr * y);
    ctx.fillStyle = t.ocean;
    ctx.fill(base.sphere);
    ctx.lineWidth = 0.6 / k;
    ctx.strokeStyle = t.graticule;
    ctx.stroke(base.graticule);
    ctx.fillStyle = t.land;
    ctx.fill(base.land);
    ctx.strokeStyle = t.border;
    ctx.lineWidth = 0.7 / k;
    ctx.stroke(base.borders);
    ctx.strokeStyle = t.coast;
    ctx.lineWidth = 0.8 / k;
    ctx.stroke(base.coast);
    ctx.strokeStyle = t.coast;
    ctx.lineWidth = 1 / k;
    ctx.stroke(base.sphere);

    // Country labels in screen space, largest first, skipping any that would collide.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const placed: [number, number, number, number][] = [];
    const fontPx = Math.min(13, 10 + Math.log2(k));
    ctx.font = `${fontPx}px system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.lineJoin = 'round';
    for (const l of base.labels) {
      const sx = l.x * k + x;
      const sy = l.y * k + y;
      if (sx < -50 || sy < -20 || sx > size.w + 50 || sy > size.h + 20) continue;
      const tw = ctx.measureText(l.name).width;
      if (l.width * k < tw * 0.9) continue;
      const box: [number, number, number, number] = [sx - tw / 2 - 3, sy - fontPx / 2 - 2, sx + tw / 2 + 3, sy + fontPx / 2 + 2];
      if (placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
      placed.push(box);
      ctx.strokeStyle = t.halo;
      ctx.lineWidth = 3;
      ctx.strokeText(l.name, sx, sy);
      ctx.fillStyle = t.label;
      ctx.fillText(l.name, sx, sy);
    }

    // Travel arcs.
    props.segments.forEach((s, i) => {
      const runs = arcs[i] ?? [];
      const hot = props.highlightSegment === i || hover?.segment === i;
      ctx.strokeStyle = s.impossible ? t.impossible : t.arc;
      ctx.globalAlpha = s.impossible || hot ? 0.95 : 0.55;
      ctx.lineWidth = (s.impossible ? 2.6 : 1.6) + (hot ? 2 : 0);
      ctx.setLineDash(s.impossible ? [] : [5, 4]);
      for (const run of runs) {
        ctx.beginPath();
        run.forEach(([px, py], j) => (j ? ctx.lineTo(px * k + x, py * k + y) : ctx.moveTo(px * k + x, py * k + y)));
        ctx.stroke();
      }
      // Direction: an arrowhead at 60% of the arc.
      const flat = runs.flat();
      const a = flat[Math.floor(flat.length * 0.6)];
      const b = flat[Math.min(flat.length - 1, Math.floor(flat.length * 0.6) + 1)];
      if (a && b) {
        const ang = Math.atan2((b[1] - a[1]) * k, (b[0] - a[0]) * k);
        const ax = a[0] * k + x;
        const ay = a[1] * k + y;
        ctx.setLineDash([]);
        ctx.fillStyle = ctx.strokeStyle;
        ctx.beginPath();
        ctx.moveTo(ax + Math.cos(ang) * 7, ay + Math.sin(ang) * 7);
        ctx.lineTo(ax + Math.cos(ang + 2.5) * 6, ay + Math.sin(ang + 2.5) * 6);
        ctx.lineTo(ax + Math.cos(ang - 2.5) * 6, ay + Math.sin(ang - 2.5) * 6);
        ctx.closePath();
        ctx.fill();
      }
      ctx.globalAlpha = 1;
    });
    ctx.setLineDash([]);
    if (props.segments.length) {
      for (const s of props.segments) {
        for (const [lon, lat, prec] of [
          [s.fromLon, s.fromLat, s.precisions[0]],
          [s.toLon, s.toLat, s.precisions[1]],
        ] as const) {
          const p = base.projection([lon, lat]);
          if (!p) continue;
          ctx.beginPath();
          ctx.arc(p[0] * k + x, p[1] * k + y, 4, 0, Math.PI * 2);
          ctx.fillStyle = s.impossible ? t.impossible : t.arc;
          ctx.fill();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = t.bubbleStroke;
          ctx.setLineDash(prec === 'country' ? [2, 2] : []);
          ctx.stroke();
          ctx.setLineDash([]);
        }
      }
    }

    // Clusters, biggest underneath.
    const sorted = [...groups].sort((a, b) => b.count - a.count);
    ctx.font = `600 10.5px system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', sans-serif`;
    for (const g of sorted) {
      const sx = g.x * k + x;
      const sy = g.y * k + y;
      if (sx < -40 || sy < -40 || sx > size.w + 40 || sy > size.h + 40) continue;
      const share = g.failures / Math.max(1, g.count);
      const selected = g.members.some((m) => props.selectedKeys.has(m.key));
      const coarse = g.members.every((m) => m.precision === 'country');
      ctx.beginPath();
      ctx.arc(sx, sy, g.radius, 0, Math.PI * 2);
      ctx.fillStyle = failureColor(share, hover?.group === g ? 0.95 : 0.78);
      ctx.fill();
      ctx.lineWidth = selected ? 3 : 1.4;
      ctx.strokeStyle = selected ? t.label : t.bubbleStroke;
      ctx.setLineDash(coarse ? [3, 2.5] : []);
      ctx.stroke();
      ctx.setLineDash([]);
      if (g.radius >= 11) {
        ctx.fillStyle = '#fff';
        ctx.fillText(compact(g.count), sx, sy + 0.5);
      }
    }
  }, [base, view, size, groups, arcs, props.segments, props.highlightSegment, props.selectedKeys, hover, themeTick]);

  useEffect(() => {
    const id = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(id);
  }, [draw]);

  const zoomAt = useCallback((factor: number, cx: number, cy: number) => {
    setView((v) => {
      const k = Math.max(MIN_K, Math.min(MAX_K, v.k * factor));
      const f = k / v.k;
      return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
    });
  }, []);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const hitTest = useCallback(
    (mx: number, my: number): { group?: ScreenGroup; segment?: number } => {
      const { k, x, y } = view;
      let best: ScreenGroup | undefined;
      for (const g of groups) {
        const d = Math.hypot(g.x * k + x - mx, g.y * k + y - my);
        if (d <= g.radius + 2 && (!best || g.radius < best.radius)) best = g;
      }
      if (best) return { group: best };
      for (let i = 0; i < arcs.length; i++) {
        for (const run of arcs[i] ?? []) {
          for (const [px, py] of run) if (Math.hypot(px * k + x - mx, py * k + y - my) < 7) return { segment: i };
        }
      }
      return {};
    },
    [view, groups, arcs],
  );

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    (e.target as HTMLCanvasElement).setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const mx = e.clientX - r.left;
    const my = e.clientY - r.top;
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
      if (d.moved) {
        setView((v) => ({ ...v, x: d.vx + dx, y: d.vy + dy }));
        setHover(null);
        return;
      }
    }
    const hit = hitTest(mx, my);
    if (hit.segment !== hover?.segment) props.onSegmentHover(hit.segment ?? null);
    setHover(hit.group || hit.segment !== undefined ? { x: mx, y: my, ...hit } : null);
  };
  const onPointerUp = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d?.moved) return;
    const r = e.currentTarget.getBoundingClientRect();
    const hit = hitTest(e.clientX - r.left, e.clientY - r.top);
    if (hit.group) props.onClusterClick(hit.group);
    else if (hit.segment !== undefined) props.onSegmentClick(hit.segment);
  };

  // Where the biggest visible cluster is, for keyboardless automation and tests.
  const topTarget = useMemo(() => {
    const g = [...groups].sort((a, b) => b.count - a.count)[0];
    return g ? `${Math.round(g.x * view.k + view.x)},${Math.round(g.y * view.k + view.y)}` : '';
  }, [groups, view]);

  const tip = hover && (hover.group ? <GroupTip g={hover.group} /> : hover.segment !== undefined && props.segments[hover.segment] ? <SegmentTip s={props.segments[hover.segment]!} fmt={props.formatTime} zone={props.zoneLabel} /> : null);

  return (
    <div className="geo-canvas-wrap" ref={wrapRef}>
      <canvas
        ref={canvasRef}
        className="geo-canvas"
        style={{ width: size.w, height: size.h, cursor: hover ? 'pointer' : drag.current?.moved ? 'grabbing' : 'grab' }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onDoubleClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          zoomAt(2, e.clientX - r.left, e.clientY - r.top);
        }}
        role="img"
        aria-label={`World map with ${groups.length} clusters${props.segments.length ? ` and ${props.segments.length} travel segments` : ''}`}
        data-clusters={groups.length}
        data-top={topTarget}
        data-zoom={view.k.toFixed(2)}
      />
      {tip && (
        <div className="geo-tip" style={{ left: Math.min(hover!.x + 14, size.w - 280), top: Math.min(hover!.y + 14, size.h - 140) }} role="tooltip">
          {tip}
        </div>
      )}
      <div className="geo-zoom" role="group" aria-label="Zoom">
        <button onClick={() => zoomAt(1.6, size.w / 2, size.h / 2)} aria-label="Zoom in" title="Zoom in">
          +
        </button>
        <button onClick={() => zoomAt(1 / 1.6, size.w / 2, size.h / 2)} aria-label="Zoom out" title="Zoom out">
          −
        </button>
        <button onClick={() => setView({ k: 1, x: 0, y: 0 })} aria-label="Whole world" title="Whole world">
          ⌂
        </button>
      </div>
    </div>
  );
}

function GroupTip({ g }: { g: ScreenGroup }) {
  const share = g.failures / Math.max(1, g.count);
  const names = g.members.slice(0, 4).map((m) => m.place ?? `${m.lat.toFixed(2)}, ${m.lon.toFixed(2)}`);
  const precisions = [...new Set(g.members.map((m) => PRECISION_LABEL[m.precision] ?? m.precision))];
  return (
    <>
      <div className="geo-tip-title">
        {names.join(' · ')}
        {g.members.length > 4 ? ` +${g.members.length - 4} more` : ''}
      </div>
      <div>
        <b>{g.count.toLocaleString('en-US')}</b> sign-ins · <b>{g.members.length === 1 ? g.users.toLocaleString('en-US') : `≥${g.users.toLocaleString('en-US')}`}</b> users
      </div>
      <div>
        <b>{g.failures.toLocaleString('en-US')}</b> failed ({(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%)
      </div>
      <div className="geo-tip-muted">Location: {precisions.join(', ')}</div>
      <div className="geo-tip-muted">Click to select; then show its sign-ins in the grid</div>
    </>
  );
}

function SegmentTip({ s, fmt, zone }: { s: TravelSegmentDto; fmt(iso: string): string; zone: string }) {
  return (
    <>
      <div className="geo-tip-title">
        {s.impossible ? 'Impossible travel · ' : ''}
        {s.user}
      </div>
      <div>
        {s.fromPlace ?? '?'} → {s.toPlace ?? '?'}
      </div>
      <div>
        {Math.round(s.distanceKm).toLocaleString('en-US')} km in {formatHours(s.hours)} · at least {Math.round(s.speedKmh).toLocaleString('en-US')} km/h
      </div>
      <div className="geo-tip-muted">
        {fmt(s.fromTime)} → {fmt(s.toTime)} ({zone})
      </div>
      <div className="geo-tip-muted">
        Precision: {s.precisions[0]} → {s.precisions[1]} (±{Math.round(s.marginKm)} km allowed)
      </div>
    </>
  );
}

export function formatHours(h: number): string {
  if (h < 1 / 60) return `${Math.round(h * 3600)} s`;
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h.toFixed(1)} h`;
  return `${(h / 24).toFixed(1)} days`;
}
