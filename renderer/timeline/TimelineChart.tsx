import { useEffect, useRef } from 'react';
import { buildOption, chartHeight, echarts, type OptionInput } from './timelineOption';
import { fromWall } from './zoneTime';
import { visiblePlain } from '../text/visibleText';

export type Hover =
  | { kind: 'bucket'; index: number; x: number; y: number }
  | { kind: 'mark'; index: number; x: number; y: number }
  | { kind: 'lane'; index: number; x: number; y: number };

export interface ChartEvents {
  /** The visible window changed (UTC ms). */
  onZoom(view: { from: number; to: number } | null): void;
  /** A range was brushed on the histogram (UTC ms, not yet snapped). */
  onBrush(from: number, to: number): void;
  onBucketClick(index: number): void;
  onMarkClick(index: number): void;
  onLaneClick(index: number): void;
  onHover(h: Hover | null): void;
}

interface Props extends OptionInput, ChartEvents {}

interface ZoomState {
  startValue?: number;
  endValue?: number;
}

/**
 * One echarts instance: the histogram and the lanes share the time axis, the zoom and
 * the slider. Gestures: drag to select a range (or to pan in pan mode), wheel to zoom,
 * click a bar for its bucket, click a mark or a lane name to select its rows.
 */
export function TimelineChart(props: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const el = host.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);

    let zoomTimer: ReturnType<typeof setTimeout> | undefined;
    c.on('datazoom', () => {
      clearTimeout(zoomTimer);
      zoomTimer = setTimeout(() => {
        const { hist, zone } = latest.current;
        const dz = (c.getOption() as { dataZoom?: ZoomState[] }).dataZoom?.[0];
        if (!hist.extent || dz?.startValue === undefined || dz.endValue === undefined) return;
        const from = Math.max(hist.extent.from, Math.floor(fromWall(zone, dz.startValue)));
        const to = Math.min(hist.extent.to, Math.ceil(fromWall(zone, dz.endValue)));
        const whole = from <= hist.extent.from && to >= hist.extent.to;
        latest.current.onZoom(whole ? null : { from, to });
      }, 160);
    });
    c.on('brushEnd', (e) => {
      const areas = (e as { areas?: { coordRange?: number[] }[] }).areas ?? [];
      const range = areas[0]?.coordRange;
      c.dispatchAction({ type: 'brush', areas: [] });
      if (!range || range.length < 2) return;
      const [a, b] = range as [number, number];
      const px = Math.abs((c.convertToPixel({ xAxisIndex: 0 }, b) as number) - (c.convertToPixel({ xAxisIndex: 0 }, a) as number));
      if (px < 4) return;
      const { zone } = latest.current;
      latest.current.onBrush(fromWall(zone, Math.min(a, b)), fromWall(zone, Math.max(a, b)));
    });
    c.on('click', (e) => {
      const ev = e as { componentType?: string; seriesType?: string; value?: unknown; data?: unknown };
      if (ev.componentType === 'yAxis') {
        const labels = latest.current.lanes?.lanes.map((l) => visiblePlain(l.label)) ?? [];
        const i = labels.indexOf(String(ev.value));
        if (i >= 0) latest.current.onLaneClick(i);
      } else if (ev.seriesType === 'custom') {
        latest.current.onMarkClick((ev.data as number[])[2]!);
      }
    });
    c.on('mouseover', (e) => {
      const ev = e as { componentType?: string; seriesType?: string; value?: unknown; data?: unknown; event?: { offsetX: number; offsetY: number } };
      const pos = { x: ev.event?.offsetX ?? 0, y: ev.event?.offsetY ?? 0 };
      if (ev.seriesType === 'custom') latest.current.onHover({ kind: 'mark', index: (ev.data as number[])[2]!, ...pos });
      else if (ev.componentType === 'yAxis') {
        const i = latest.current.lanes?.lanes.findIndex((l) => visiblePlain(l.label) === String(ev.value)) ?? -1;
        if (i >= 0) latest.current.onHover({ kind: 'lane', index: i, ...pos });
      }
    });
    c.on('mouseout', () => latest.current.onHover(null));

    // Buckets: hovering or clicking anywhere in the histogram's plot picks the bucket under
    // the pointer (a short bar is hard to hit), unless the press was the start of a drag.
    const zr = c.getZr();
    let down: [number, number] | null = null;
    const bucketAt = (x: number, y: number): number => {
      if (!c.containPixel({ gridIndex: 0 }, [x, y])) return -1;
      const { hist, zone } = latest.current;
      const wall = c.convertFromPixel({ xAxisIndex: 0 }, x) as number;
      const utc = fromWall(zone, wall);
      let lo = 0;
      let hi = hist.starts.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (hist.ends[mid]! <= utc) lo = mid + 1;
        else if (hist.starts[mid]! > utc) hi = mid - 1;
        else return mid;
      }
      return -1;
    };
    zr.on('mousedown', (e) => {
      down = [e.offsetX, e.offsetY];
    });
    zr.on('mousemove', (e) => {
      const i = bucketAt(e.offsetX, e.offsetY);
      if (i >= 0) latest.current.onHover({ kind: 'bucket', index: i, x: e.offsetX, y: e.offsetY });
      else if (c.containPixel({ gridIndex: 0 }, [e.offsetX, e.offsetY])) latest.current.onHover(null);
    });
    zr.on('globalout', () => latest.current.onHover(null));
    zr.on('click', (e) => {
      const moved = down ? Math.hypot(e.offsetX - down[0], e.offsetY - down[1]) : 0;
      down = null;
      if (moved > 4) return;
      const i = bucketAt(e.offsetX, e.offsetY);
      if (i >= 0) latest.current.onBucketClick(i);
    });

    return () => {
      clearTimeout(zoomTimer);
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  const laneCount = props.lanes?.lanes.length ?? 0;
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.resize();
    c.setOption(buildOption(props), { replaceMerge: ['series', 'xAxis', 'yAxis', 'grid'] });
    // Drag selects a range in select mode; in pan mode the drag moves the window instead.
    c.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'brush',
      brushOption: props.mode === 'select' ? { brushType: 'lineX', brushMode: 'single' } : { brushType: false },
    });
  }, [props.hist, props.lanes, props.zone, props.stackBy, props.palette, props.selection, props.view, props.mode, laneCount]);

  return <div ref={host} className="timeline-canvas" style={{ height: chartHeight(laneCount) }} data-testid="timeline-chart" />;
}

