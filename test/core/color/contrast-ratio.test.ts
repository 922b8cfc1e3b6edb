import { contrastRatio } from '../../../core/color/contrast-ratio';

describe('the contrast ratio of two colours', () => {
  it('is 21 for black on white and 1 for a colour on itself, whichever comes first', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#2f5bd3', '#2f5bd3')).toBe(1);
  });

  it('gives the figures WCAG tools give: #777 on white just under 4.5, the stylesheet accent on white 5.9', () => {
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#2f5bd3', '#ffffff')).toBeCloseTo(5.9, 1);
  });
});
