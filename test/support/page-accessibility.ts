import { closest, elementsOf, openingTag, parseHtml, textOf, type HtmlElement } from './html-tree';

/** The kinds of fault a page can have for people who use a keyboard or a screen reader. */
export type FaultKind =
  | 'language'
  | 'title'
  | 'h1'
  | 'main'
  | 'skip link'
  | 'unnamed control'
  | 'duplicate id'
  | 'dangling reference'
  | 'untied error'
  | 'image without alt'
  | 'unnamed button or link'
  | 'table headers'
  | 'unnamed table'
  | 'unnamed group'
  | 'banner'
  | 'unannounced error'
  | 'link as button'
  | 'unmarked required field'
  | 'required field not shown'
  | 'required fields not explained';

export interface Fault {
  kind: FaultKind;
  detail: string;
}

/** Controls a person fills in or chooses (a button names itself by its value). */
const UNNAMED_INPUT_TYPES = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
/** The reason an empty required field is refused with, in each language (locales/). */
const REQUIRED_MESSAGES = ['is required', 'est obligatoire'];
/** The line a page says, before its first required field, in each language (locales/): what the mark means. */
const REQUIRED_NOTES = ['Fields marked * are required.', 'Les champs marqués * sont obligatoires.'];
/** Attributes that name other elements by their ids (a space-separated list). */
const ID_REFERENCES = ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls'];

/** Whether an element is hidden from everyone (the `hidden` attribute, or aria-hidden) by itself or an ancestor. */
const isHidden = (el: HtmlElement): boolean => {
  for (let p: HtmlElement | null = el; p; p = p.parent) if (p.attrs.has('hidden') || p.attrs.get('aria-hidden') === 'true') return true;
  return false;
};

const isControl = (el: HtmlElement) =>
  !isHidden(el) &&
  ((el.name === 'input' && !UNNAMED_INPUT_TYPES.has((el.attrs.get('type') ?? 'text').toLowerCase())) || el.name === 'select' || el.name === 'textarea');

/**
 * What a page gets wrong for keyboards and screen readers: its language, title, one heading, a
 * banner and one main landmark, a skip link past its navigation, a name for every control, button,
 * link and table, ids that are unique and exist where named, each field error tied to its control
 * and announced, alt text, table headers, links that act where a button should, a required
 * field's mark beside its label and the page's line, before its first required field, saying what
 * the mark means.
 */
export function accessibilityFaults(html: string, language: string): Fault[] {
  const faults: Fault[] = [];
  const fault = (kind: FaultKind, detail: string) => faults.push({ kind, detail });
  const doc = parseHtml(html);
  const all = elementsOf(doc);
  const named = (name: string) => all.filter((el) => el.name === name);

  const lang = named('html')[0]?.attrs.get('lang');
  if (lang !== language) fault('language', `<html lang="${lang ?? ''}"> on a page in ${language}`);
  // The document's own title (an SVG chart's <title> names the chart).
  const titles = named('title').filter((el) => !closest(el, 'svg'));
  if (titles.length !== 1 || !textOf(titles[0])) fault('title', `${titles.length} <title>, the first "${titles[0] ? textOf(titles[0]) : ''}"`);
  const h1s = named('h1');
  if (h1s.length !== 1) fault('h1', `${h1s.length} <h1>${h1s.map((h) => ` "${textOf(h)}"`).join(',')}`);
  const mains = named('main');
  if (mains.length !== 1) fault('main', `${mains.length} <main>`);

  const ids = new Map<string, HtmlElement>();
  for (const el of all) {
    const id = el.attrs.get('id');
    if (id === undefined) continue;
    if (ids.has(id)) fault('duplicate id', `id="${id}" on ${openingTag(ids.get(id) as HtmlElement)} and ${openingTag(el)}`);
    else ids.set(id, el);
  }
  for (const el of all) {
    for (const attr of ID_REFERENCES) {
      const value = el.attrs.get(attr);
      if (value === undefined || (attr === 'for' && el.name !== 'label' && el.name !== 'output')) continue;
      const refs = value.split(/\s+/).filter(Boolean);
      if (!refs.length) fault('dangling reference', `${openingTag(el)} names no id in ${attr}`);
      for (const ref of refs) if (!ids.has(ref)) fault('dangling reference', `${openingTag(el)}: no element has id "${ref}"`);
    }
    const href = el.name === 'a' ? el.attrs.get('href') : undefined;
    if (href?.startsWith('#') && href.length > 1 && !ids.has(decodeURIComponent(href.slice(1))))
      fault('dangling reference', `${openingTag(el)} leads to no element`);
  }

  /** The text of the elements an aria-labelledby names. */
  const labelledByText = (el: HtmlElement) =>
    (el.attrs.get('aria-labelledby') ?? '')
      .split(/\s+/)
      .map((ref) => ids.get(ref))
      .map((target) => (target ? textOf(target) : ''))
      .join(' ')
      .trim();
  /** The name a screen reader gives a button or link: its text, the alt of an image in it, its ARIA name. */
  const ownName = (el: HtmlElement) =>
    [
      textOf(el),
      ...elementsOf(el)
        .filter((c) => c.name === 'img')
        .map((img) => img.attrs.get('alt') ?? ''),
      el.attrs.get('aria-label') ?? '',
      labelledByText(el),
    ]
      .join(' ')
      .trim();

  const labelsFor = new Map<string, HtmlElement[]>();
  for (const label of named('label')) {
    const target = label.attrs.get('for');
    if (target) labelsFor.set(target, [...(labelsFor.get(target) ?? []), label]);
  }
  for (const control of all.filter(isControl)) {
    const id = control.attrs.get('id');
    const byFor = id ? (labelsFor.get(id) ?? []).map(textOf).join(' ') : '';
    const wrapping = closest(control, 'label');
    const name = [byFor, wrapping ? textOf(wrapping) : '', control.attrs.get('aria-label') ?? '', labelledByText(control)].join(' ').trim();
    if (!name) fault('unnamed control', openingTag(control));
  }

  for (const el of all) {
    if (el.name === 'img' && !el.attrs.has('alt')) fault('image without alt', openingTag(el));
    if ((el.name === 'button' || (el.name === 'a' && el.attrs.has('href'))) && !ownName(el)) fault('unnamed button or link', openingTag(el));
    if (el.name === 'input' && el.attrs.get('type') === 'image' && !el.attrs.get('alt')) fault('image without alt', openingTag(el));
  }

  // Radios (or checkboxes) sharing a name answer one question: a fieldset's legend (or a named group) asks it.
  const choices = new Map<string, HtmlElement[]>();
  for (const el of all.filter((c) => c.name === 'input' && /^(radio|checkbox)$/.test(c.attrs.get('type') ?? ''))) {
    const key = `${el.attrs.get('type')} ${el.attrs.get('name') ?? ''}`;
    choices.set(key, [...(choices.get(key) ?? []), el]);
  }
  const groupName = (el: HtmlElement): string => {
    for (let p = el.parent; p; p = p.parent) {
      if (p.name === 'fieldset') {
        const legend = p.children.find((c): c is HtmlElement => typeof c !== 'string' && c.name === 'legend');
        return legend ? textOf(legend) : '';
      }
      if (/^(group|radiogroup)$/.test(p.attrs.get('role') ?? '')) return (p.attrs.get('aria-label') ?? '') + labelledByText(p);
    }
    return '';
  };
  for (const [key, group] of choices)
    if (group.length > 1 && !group.every((el) => groupName(el).trim()) && !(closest(group[0], 'table') && group.every((el) => el.attrs.has('aria-label'))))
      fault('unnamed group', `${group.length} × ${key} without a fieldset and legend around them`);

  for (const table of named('table')) {
    if (table.attrs.get('role') === 'presentation') continue;
    // A screen reader's list of tables reads each one's name: a caption or an ARIA label.
    const caption = table.children.find((c): c is HtmlElement => typeof c !== 'string' && c.name === 'caption');
    if (!(caption && textOf(caption)) && !table.attrs.get('aria-label') && !labelledByText(table))
      fault('unnamed table', `${openingTag(table)} has no caption or label`);
    const cells = elementsOf(table).filter((c) => c.name === 'th' && closest(c, 'table') === table);
    if (!cells.length) fault('table headers', `${openingTag(table)} has no <th>`);
    for (const th of cells)
      if (!/^(col|row|colgroup|rowgroup)$/.test(th.attrs.get('scope') ?? '')) fault('table headers', `${openingTag(th)} (“${textOf(th)}”) has no scope`);
  }

  if (named('nav').length) {
    const body = named('body')[0];
    const first = body ? elementsOf(body).find((el) => el.name === 'a' || isControl(el) || el.name === 'button') : undefined;
    const target = first?.attrs.get('href')?.slice(1);
    if (!first || first.name !== 'a' || !target || ids.get(target)?.name !== 'main')
      fault('skip link', `the first thing to focus is ${first ? openingTag(first) : 'nothing'}, not a link to <main>`);
  }

  // The page's header is its banner landmark: outside <main> and any sectioning element.
  if (!named('header').some((h) => !['main', 'article', 'section', 'aside', 'nav'].some((tag) => closest(h, tag))))
    fault('banner', 'no <header> outside the main content');
  for (const a of named('a')) {
    const href = a.attrs.get('href') ?? '';
    if (a.attrs.has('data-method') || href === '#' || /^javascript:/i.test(href))
      fault('link as button', `${openingTag(a)} acts, where a button in a form would`);
  }

  // A field shown with an error: the control (or its fieldset) is marked invalid and reads the error with it.
  const describedBy = new Map<string, HtmlElement[]>();
  for (const el of all)
    for (const ref of (el.attrs.get('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) describedBy.set(ref, [...(describedBy.get(ref) ?? []), el]);
  for (const error of all.filter((el) => (el.attrs.get('class') ?? '').split(/\s+/).includes('field-error'))) {
    const id = error.attrs.get('id');
    const tied = id ? (describedBy.get(id) ?? []) : [];
    const marked = tied.filter((el) => el.name === 'fieldset' || (isControl(el) && el.attrs.get('aria-invalid') === 'true'));
    if (!marked.length && !aboutAHiddenField(error, all)) fault('untied error', `${openingTag(error)} “${textOf(error)}” is read with no invalid control`);
  }
  for (const control of all.filter((el) => el.attrs.get('aria-invalid') === 'true'))
    if (!control.attrs.get('aria-describedby')) fault('untied error', `${openingTag(control)} is invalid with no reason tied to it`);
  // A field refused for being empty is one the form must mark as required (read out with its label).
  for (const control of all.filter((el) => isControl(el) && el.attrs.get('aria-invalid') === 'true')) {
    const reasons = (control.attrs.get('aria-describedby') ?? '').split(/\s+/).map((ref) => ids.get(ref));
    const empty = reasons.some((reason) => reason && REQUIRED_MESSAGES.some((m) => textOf(reason).endsWith(m)));
    if (empty && !control.attrs.has('required') && control.attrs.get('aria-required') !== 'true')
      fault('unmarked required field', `${openingTag(control)} is refused as empty but not marked required`);
  }
  // A required field shows it to sighted people too: a mark in its label (hidden from screen readers,
  // which read `required`), and the page says what the mark means before its first required field
  // (once for a page of many small forms, such as a Restore per backup; a long page may say it again).
  const hasClass = (el: HtmlElement, name: string) => (el.attrs.get('class') ?? '').split(/\s+/).includes(name);
  const required = all.filter((el) => isControl(el) && el.attrs.has('required'));
  for (const control of required) {
    const id = control.attrs.get('id');
    const labels = [...(id ? (labelsFor.get(id) ?? []) : []), closest(control, 'label')].filter((l): l is HtmlElement => !!l);
    const marked = labels.some((label) =>
      elementsOf(label).some((el) => hasClass(el, 'required-mark') && el.attrs.get('aria-hidden') === 'true' && textOf(el) === '*'),
    );
    if (!marked) fault('required field not shown', `${openingTag(control)} is required, but its label shows no *`);
  }
  if (required.length) {
    const first = all.indexOf(required[0]);
    const note = all.findIndex((el) => hasClass(el, 'required-note') && !isHidden(el) && REQUIRED_NOTES.includes(textOf(el)));
    if (note < 0 || note > first)
      fault('required fields not explained', `${openingTag(required[0])} is the page's first required field, but no line before it says what * means`);
  }
  // A refused form says so as it arrives: a summary a screen reader announces (role=alert).
  const refused = all.some((el) => el.attrs.get('aria-invalid') === 'true' || (el.attrs.get('class') ?? '').split(/\s+/).includes('field-error'));
  if (refused && !all.some((el) => el.attrs.get('role') === 'alert' && textOf(el)))
    fault('unannounced error', 'a field is shown refused, but nothing with role="alert" says so');
  return faults;
}

/** An error about a field the page has no visible control for (a choice made on the step before, which row a button was for). */
function aboutAHiddenField(error: HtmlElement, all: HtmlElement[]): boolean {
  const field = /^(.+)-error$/.exec(error.attrs.get('id') ?? '')?.[1];
  if (!field) return false;
  return !all.some((el) => isControl(el) && (el.attrs.get('name') === field || el.attrs.get('id') === field));
}
