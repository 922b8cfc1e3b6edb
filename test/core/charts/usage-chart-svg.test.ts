import { usageChartSvg } from '../../../core/charts/usage-chart-svg';

const days = (values: number[]) => values.map((value, i) => ({ day: `2031-03-${String(i + 1).padStart(2, '0')}`, value }));

describe('the usage chart', () => {
  it('is an image named by its title and described in words for screen readers', () => {
    const svg = usageChartSvg({ id: 'items', title: 'Items', description: 'Highest 3 on 2031-03-02', points: days([1, 3, 0]) });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="items-title items-desc"/);
    expect(svg).toContain('<title id="items-title">Items</title>');
    expect(svg).toContain('<desc id="items-desc">Highest 3 on 2031-03-02</desc>');
  });

  it('draws one bar a day, the highest day full height and an empty day without height', () => {
    const svg = usageChartSvg({ id: 'c', title: 't', description: 'd', points: days([2, 4, 0]), height: 42 });
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([20, 40, 0]);
    expect(svg).toContain('<title>2031-03-02: 4</title>');
  });

  it('draws the limit as a line when it is near the use, and leaves it out when it would flatten the bars', () => {
    expect(usageChartSvg({ id: 'c', title: 't', description: 'd', points: days([5, 8]), limit: 10 })).toContain('class="limit"');
    expect(usageChartSvg({ id: 'c', title: 't', description: 'd', points: days([5, 8]), limit: 1000 })).not.toContain('class="limit"');
    expect(usageChartSvg({ id: 'c', title: 't', description: 'd', points: days([5, 8]), limit: null })).not.toContain('class="limit"');
  });

  it('escapes every text it is given', () => {
    const svg = usageChartSvg({ id: 'x"y', title: '<script>', description: 'a & b', points: days([1]) });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a &amp; b');
    expect(svg).toContain('x&quot;y-title');
  });
});
