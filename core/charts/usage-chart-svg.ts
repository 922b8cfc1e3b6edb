/** The days a usage chart shows, in the workspace and in the console. */
export const USAGE_CHART_DAYS = 30;

/** One bar of a daily chart: the day (YYYY-MM-DD, UTC) and its value. */
export interface ChartPoint {
  day: string;
  value: number;
}

export interface UsageChartInput {
  /** Unique on the page: the title and description are referenced by id. */
  id: string;
  /** Read by screen readers as the chart's name (<title>); already in the reader's language. */
  title: string;
  /** What the chart shows, in words (<desc>): the figures a sighted reader takes from the bars. */
  description: string;
  points: ChartPoint[];
  /** Drawn as a dashed line when it fits the scale; null: no limit. */
  limit?: number | null;
  width?: number;
  height?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * A daily bar chart as inline SVG, rendered on the server (no script, no chart library): one bar
 * a day, the limit as a dashed line when it is within twice the highest bar (a limit far above
 * the use would flatten every bar), `role="img"` with a title and a description so that a
 * screen reader announces what the bars show. Every text is escaped here.
 */
export function usageChartSvg(input: UsageChartInput): string {
  const width = input.width ?? 300;
  const height = input.height ?? 60;
  const points = input.points;
  const peak = Math.max(0, ...points.map((p) => p.value));
  const limit = input.limit ?? null;
  const showLimit = limit !== null && limit > 0 && (peak === 0 || limit <= peak * 2);
  const top = Math.max(peak, showLimit && limit !== null ? limit : 0, 1);
  const slot = points.length ? width / points.length : width;
  const barWidth = Math.max(1, slot - 1);
  const id = escapeXml(input.id);
  const bars = points
    .map((p, i) => {
      const h = p.value > 0 ? Math.max(1, (p.value / top) * (height - 2)) : 0;
      const x = (i * slot).toFixed(1);
      const y = (height - h).toFixed(1);
      return `<rect x="${x}" y="${y}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeXml(`${p.day}: ${p.value}`)}</title></rect>`;
    })
    .join('');
  const limitLine =
    showLimit && limit !== null
      ? `<line class="limit" x1="0" x2="${width}" y1="${(height - (limit / top) * (height - 2)).toFixed(1)}" y2="${(height - (limit / top) * (height - 2)).toFixed(1)}" stroke-dasharray="4 3"/>`
      : '';
  return (
    `<svg class="usage-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeXml(input.title)}</title><desc id="${id}-desc">${escapeXml(input.description)}</desc>` +
    `<g class="bars">${bars}</g>${limitLine}</svg>`
  );
}

/** What a chart's description says in words: its highest day and its last day. */
export function seriesFacts(points: ChartPoint[]): { peak: number; peakDay: string; last: number } {
  let peak = points[0] ?? { day: '', value: 0 };
  for (const p of points) if (p.value > peak.value) peak = p;
  return { peak: peak.value, peakDay: peak.day, last: points.at(-1)?.value ?? 0 };
}
