import { contrastRatio, TEXT_CONTRAST } from '../../core/color/contrast-ratio';

/**
 * The lightest and darkest backgrounds the accent colour meets as text or under text: white
 * button labels on it, links on white, and the workspace menu's tinted bar (public/style.css,
 * `.tenant-nav`), the darkest of the light backgrounds links and badges in the accent sit on.
 */
const ACCENT_BACKGROUNDS = ['#ffffff', '#eef2fb'];

/** Whether a `#rrggbb` accent keeps the pages readable (WCAG AA, 4.5:1) wherever the stylesheet uses it. */
export function isReadableAccent(color: string): boolean {
  return ACCENT_BACKGROUNDS.every((background) => contrastRatio(color, background) >= TEXT_CONTRAST);
}
