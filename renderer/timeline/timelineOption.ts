import * as echarts from 'echarts/core';
import { BarChart, CustomChart, ScatterChart } from 'echarts/charts';
import {
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { HistogramResult, LanesResult, StackBy } from '../../electron/api/methods/timeline';
import { statusColor, type TimelinePalette } from './palette';
import { RULE_PALETTE } from '../../electron/api/methods/views';
import { formatDuration, toWall } from './zoneTime';
import { visiblePlain } from '../text/visibleText';

echarts.use([
  BarChart,
  CustomChart,
  ScatterChart,
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };

/** Layout in pixels: the histogram on top, the range slider, then one row per lane. */
export const LAYOUT = {
  left: 208,
  right: 28,
  legendTop: 6,
  histTop: 52,
  histHeight: 220,
  sliderGap: 44,
  sliderHeight: 22,
  lanesGap: 40,
  laneHeight: 24,
  bottom: 44,
};

export function chartHeight(laneCount: number): number {
  const lanes = laneCount ? LAYOUT.lanesGap + laneCount * LAYOUT.laneHeight + LAYOUT.bottom : 8;
  return LAYOUT.histTop + LAYOUT.histHeight + LAYOUT.sliderGap + LAYOUT.sliderHeight + lanes;
}

export const STATUS_NAMES = ['success', 'failure', 'interrupted', 'other'] as const;

export interface OptionInput {
  hist: HistogramResult;
  lanes: LanesResult | null;
  zone: string;
  stackBy: StackBy;
  palette: TimelinePalette;
  /** The shared time selection (brush), as UTC ms. */
  selection: { from: number; to: number } | null;
  /** Visible window (UTC ms); null shows the whole extent. */
  view: { from: number; to: number } | null;
  mode: 'select' | 'pan';
}

export function seriesColor(input: Pick<OptionInput, 'stackBy' | 'palette'>, s: HistogramResult['series'][number], i: number): string {
  const p = input.palette;
  if (s.kind === 'other') return p.other;
  if (input.stackBy === 'status') return (p.status as Record<string, string>)[s.key ?? 'other'] ?? p.status.other;
  return p.categorical[i % p.categorical.length]!;
}

/** Bucket midpoints on the wall-clock axis (bars are centred on their x). */
export function bucketMids(hist: HistogramResult, zone: string): number[] {
  return hist.starts.map((s, i) => (toWall(zone, s) + toWall(zone, hist.ends[i]!)) / 2);
}

export function buildOption(input: OptionInput): echarts.EChartsCoreOption {
  const { hist, lanes, zone, palette: p } = input;
  const mids = bucketMids(hist, zone);
  const totals = hist.starts.map((_, i) => hist.counts.reduce((sum, c) => sum + c[i]!, 0));
  const extent = hist.extent ?? { from: 0, to: 1 };
  const min = toWall(zone, extent.from);
  const max = toWall(zone, extent.to);
  const laneCount = lanes?.lanes.length ?? 0;
  const lanesTop = LAYOUT.histTop + LAYOUT.histHeight + LAYOUT.sliderGap + LAYOUT.sliderHeight + LAYOUT.lanesGap;
  const axisName = `Time (${zone})`;
  const axisCommon = {
    type: 'time' as const,
    min,
    max,
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    axisLabel: {
      color: p.muted,
      hideOverlap: true,
      formatter: {
        year: '{yyyy}',
        month: '{MMM} {yyyy}',
        day: '{MMM} {d}',
        hour: '{HH}:{mm}',
        minute: '{HH}:{mm}',
        second: '{HH}:{mm}:{ss}',
        millisecond: '{HH}:{mm}:{ss}',
      },
    },
    splitLine: { show: true, lineStyle: { color: p.grid } },
    nameTextStyle: { color: p.muted, fontWeight: 600 as const },
  };

  const markAreas: unknown[] = [];
  for (const g of hist.gaps) {
    markAreas.push([
      {
        name: `No sign-ins for ${formatDuration(g.to - g.from)}`,
        xAxis: toWall(zone, g.from),
        itemStyle: { color: p.gapFill },
        label: { show: true, position: 'insideTop', color: p.muted, fontSize: 10, formatter: `gap ${formatDuration(g.to - g.from)}` },
      },
      { xAxis: toWall(zone, g.to) },
    ]);
  }
  if (input.selection) {
    markAreas.push([
      {
        name: 'Selected range',
        xAxis: toWall(zone, input.selection.from),
        itemStyle: { color: p.accentFill, borderColor: p.accent, borderWidth: 1 },
        label: { show: false },
      },
      { xAxis: toWall(zone, input.selection.to) },
    ]);
  }

  const bars = hist.series.map((s, k) => ({
    id: `bar-${k}`,
    name: visiblePlain(s.label),
    type: 'bar' as const,
    stack: 'total',
    xAxisIndex: 0,
    yAxisIndex: 0,
    barCategoryGap: '12%',
    large: false,
    itemStyle: { color: seriesColor(input, s, k) },
    emphasis: { disabled: true },
    data: mids.map((x, i) => [x, hist.counts[k]![i]!]),
    ...(k === 0
      ? {
          markArea: { silent: true, data: markAreas },
        }
      : {}),
  }));

  const overlays = [
    {
      id: 'spikes',
      name: 'Spikes',
      type: 'scatter' as const,
      xAxisIndex: 0,
      yAxisIndex: 0,
      symbol: 'pin',
      symbolSize: 26,
      symbolOffset: [0, -14],
      itemStyle: { color: p.spike, opacity: 0.85 },
      label: { show: true, color: p.bg, fontSize: 9, fontWeight: 700 as const, formatter: '!' },
      silent: true,
      z: 5,
      data: hist.spikes.map((s) => {
        const i = hist.starts.indexOf(s.start);
        return [mids[i] ?? toWall(zone, s.start), s.count];
      }),
    },
    {
      id: 'tagged',
      name: 'Tagged',
      type: 'scatter' as const,
      xAxisIndex: 0,
      yAxisIndex: 0,
      symbol: 'triangle',
      symbolSize: 9,
      symbolRotate: 180,
      symbolOffset: [0, -8],
      itemStyle: { color: p.tagged },
      silent: true,
      z: 6,
      data: hist.tagged.map((m) => {
        const i = hist.starts.indexOf(m.start);
        return [mids[i]!, totals[i]!];
      }),
    },
    {
      id: 'findings',
      name: 'In findings',
      type: 'scatter' as const,
      xAxisIndex: 0,
      yAxisIndex: 0,
      symbol: 'diamond',
      symbolSize: 9,
      symbolOffset: [0, -18],
      itemStyle: { color: p.finding },
      silent: true,
      z: 6,
      data: hist.findings.map((m) => {
        const i = hist.starts.indexOf(m.start);
        return [mids[i]!, totals[i]!];
      }),
    },
  ];

  const laneSeries = lanes ? laneSeriesFor(lanes, zone, p) : [];

  const legendNames = [...hist.series.map((s) => visiblePlain(s.label))];
  if (input.stackBy !== 'status' && lanes?.marks.t.length) legendNames.push(...STATUS_NAMES.slice(0, 3));
  if (hist.spikes.length) legendNames.push('Spikes');
  if (hist.tagged.length) legendNames.push('Tagged');
  if (hist.findings.length) legendNames.push('In findings');

  const startValue = input.view ? toWall(zone, input.view.from) : min;
  const endValue = input.view ? toWall(zone, input.view.to) : max;

  return {
    animation: false,
    useUTC: true,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif', color: p.fg },
    legend: {
      type: 'scroll',
      top: LAYOUT.legendTop,
      left: LAYOUT.left,
      right: LAYOUT.right,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 10,
      data: legendNames,
      textStyle: { color: p.fg, width: 160, overflow: 'truncate' },
      pageTextStyle: { color: p.muted },
      inactiveColor: p.axis,
    },
    tooltip: { trigger: 'axis', showContent: false, axisPointer: { type: 'line', lineStyle: { color: p.accent, type: 'dashed' } } },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    grid: [
      { left: LAYOUT.left, right: LAYOUT.right, top: LAYOUT.histTop, height: LAYOUT.histHeight },
      { left: LAYOUT.left, right: LAYOUT.right, top: lanesTop, height: Math.max(laneCount, 1) * LAYOUT.laneHeight, show: laneCount > 0 },
    ],
    xAxis: [
      { ...axisCommon, gridIndex: 0, name: axisName, nameLocation: 'middle', nameGap: 26 },
      {
        ...axisCommon,
        gridIndex: 1,
        show: laneCount > 0,
        name: axisName,
        nameLocation: 'middle',
        nameGap: 26,
      },
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        minInterval: 1,
        // Headroom for the spike and mark pins above the tallest bars.
        boundaryGap: [0, '16%'],
        name: `Sign-ins per ${hist.bucket.label}`,
        nameLocation: 'middle',
        nameGap: 52,
        nameTextStyle: { color: p.muted, fontWeight: 600 },
        axisLabel: { color: p.muted },
        splitLine: { lineStyle: { color: p.grid } },
      },
      {
        type: 'category',
        gridIndex: 1,
        show: laneCount > 0,
        inverse: true,
        triggerEvent: true,
        data: lanes?.lanes.map((l) => visiblePlain(l.label)) ?? [],
        axisLine: { lineStyle: { color: p.axis } },
        axisTick: { show: false },
        axisLabel: { color: p.fg, width: LAYOUT.left - 24, overflow: 'truncate', fontSize: 12, cursor: 'pointer' },
        splitLine: { show: true, lineStyle: { color: p.grid } },
        splitArea: { show: true, areaStyle: { color: [p.bg, p.panel] } },
      },
    ],
    dataZoom: [
      {
        type: 'inside',
        xAxisIndex: [0, 1],
        filterMode: 'none',
        startValue,
        endValue,
        zoomOnMouseWheel: true,
        moveOnMouseWheel: false,
        moveOnMouseMove: input.mode === 'pan',
        minValueSpan: 10 * 60_000,
      },
      {
        type: 'slider',
        xAxisIndex: [0, 1],
        filterMode: 'none',
        startValue,
        endValue,
        top: LAYOUT.histTop + LAYOUT.histHeight + LAYOUT.sliderGap,
        height: LAYOUT.sliderHeight,
        left: LAYOUT.left,
        right: LAYOUT.right,
        showDataShadow: false,
        borderColor: p.axis,
        backgroundColor: p.panel,
        fillerColor: p.accentFill,
        handleStyle: { color: p.bg, borderColor: p.accent },
        moveHandleStyle: { color: p.accent, opacity: 0.5 },
        textStyle: { color: p.muted },
        labelFormatter: '',
        minValueSpan: 10 * 60_000,
      },
    ],
    brush: {
      xAxisIndex: 0,
      brushType: 'lineX',
      brushMode: 'single',
      transformable: false,
      removeOnClick: true,
      throttleType: 'debounce',
      throttleDelay: 0,
      brushStyle: { borderWidth: 1, color: p.accentFill, borderColor: p.accent },
      outOfBrush: { colorAlpha: 1 },
      inBrush: {},
    },
    series: [...bars, ...overlays, ...laneSeries],
  };
}

/** Lane marks: ticks for single sign-ins, bars sized by count for per-bucket aggregates. */
function laneSeriesFor(lanes: LanesResult, zone: string, p: TimelinePalette): unknown[] {
  const m = lanes.marks;
  const byStatus: number[][][] = [[], [], [], []];
  for (let i = 0; i < m.t.length; i++) {
    const x0 = toWall(zone, m.t[i]!);
    const x1 = m.end[i]! > m.t[i]! ? toWall(zone, m.end[i]!) : x0;
    byStatus[Math.min(3, m.status[i]!)]!.push([x0, m.lane[i]!, i, x1, m.n[i]!]);
  }
  const flagged: number[][] = [];
  for (let i = 0; i < m.t.length; i++) if (m.flags[i]) flagged.push([toWall(zone, m.t[i]!), m.lane[i]!, i, m.flags[i]!]);
  const maxN = Math.max(1, ...m.n);
  // Draw order: the commonest first so failures and interruptions stay visible on top.
  const order = [0, 3, 2, 1];
  const series: unknown[] = order.map((code) => ({
    id: `lane-${code}`,
    name: STATUS_NAMES[code],
    type: 'custom' as const,
    xAxisIndex: 1,
    yAxisIndex: 1,
    encode: { x: [0, 3], y: 1 },
    z: 3 + order.indexOf(code),
    data: byStatus[code],
    itemStyle: { color: statusColor(p, code) },
    renderItem: (params: { dataIndex: number }, api: CustomApi) => {
      const x0 = api.value(0);
      const lane = api.value(1);
      const x1 = api.value(3);
      const n = api.value(4);
      const [ax = 0, ay = 0] = api.coord([x0, lane]);
      const [bx = 0] = api.coord([x1, lane]);
      const bandHeight = api.size([0, 1])[1] ?? 20;
      const single = x1 === x0;
      const h = single ? bandHeight * 0.62 : bandHeight * (0.28 + 0.5 * (Math.log1p(n) / Math.log1p(maxN)));
      const w = Math.max(3, bx - ax - (single ? 0 : 1));
      void params;
      return {
        type: 'rect',
        shape: { x: ax - (single ? 1.5 : 0), y: ay - h / 2, width: w, height: h },
        style: { fill: statusColor(p, code), opacity: single ? 1 : 0.8 },
        emphasis: { style: { stroke: p.fg, lineWidth: 1 } },
      };
    },
  }));
  // A colour rule's colour under each single sign-in it applies to (the grid's row colours).
  const ruled: (number | string)[][] = [];
  if (m.rule && lanes.colourRules) {
    for (let i = 0; i < m.t.length; i++) {
      const r = lanes.colourRules[m.rule[i] ?? -1];
      if (r) ruled.push([toWall(zone, m.t[i]!), m.lane[i]!, i, RULE_PALETTE[r.colour].swatch]);
    }
  }
  series.push({
    id: 'lane-rules',
    name: 'Colour rules',
    type: 'scatter',
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbol: 'rect',
    symbolSize: [7, 3],
    symbolOffset: [0, 10],
    itemStyle: { color: (params: { data: (number | string)[] }) => String(params.data[3]) },
    silent: true,
    z: 8,
    data: ruled,
  });
  series.push({
    id: 'lane-flags',
    name: 'Tagged / in findings',
    type: 'scatter',
    xAxisIndex: 1,
    yAxisIndex: 1,
    symbol: 'triangle',
    symbolRotate: 180,
    symbolSize: 7,
    symbolOffset: [0, -10],
    itemStyle: { color: (params: { data: number[] }) => ((params.data[3]! & 2) !== 0 ? p.finding : p.tagged) },
    silent: true,
    z: 8,
    data: flagged,
  });
  return series;
}

interface CustomApi {
  value(dim: number): number;
  coord(point: number[]): number[];
  size(dataSize: number[]): number[];
}
