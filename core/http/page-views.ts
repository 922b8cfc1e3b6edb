import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';
import { pageFieldLabels } from './field-labels';
import { focusFirstInvalid } from './focus-first-invalid';
import { REQUIRED_MARK } from './required-mark';
import { formatUtcDay, formatUtcTime } from '../time/utc-time';
import { formatBytes } from '../text/format-bytes';

/** The product's page templates. */
export const VIEWS_DIR = path.resolve(__dirname, '../../views');

/** Renders a partial with only the data given to it (see createFragments). */
export type Fragment = (name: string, data: ejs.Data) => string;

/**
 * Renders pages from the views folder with EJS. Includes name their partial from that folder
 * (`include('/partials/header')`), so EJS finds it without asking the file system (a relative
 * include is looked for with a stat call each time it is rendered). Templates are compiled once
 * and kept, whatever NODE_ENV says (express keeps them only in production), unless `reload`:
 * then they are read and compiled again on every render, for editing them (decision 039).
 * Every page also gets `fragment` (createFragments), and `fieldLabel`/`summaryLabel`, which make
 * the error summary name each field with the label its form shows (pageFieldLabels). A refused
 * form's first invalid field gets the focus (focusFirstInvalid). `requiredMark` follows the label
 * of a required field (REQUIRED_MARK). `utcTime(ms)` (`2025-03-01 09:30 UTC`) and `utcDay(ms)`
 * (`2025-03-01`) show a time where no workspace's zone applies (the console, the account, a closed
 * workspace), '—' for none: a view never formats a date itself; a workspace's pages get their
 * zone's clock from their loader (`fmt`, `when`). `formatBytes(n)` (`12.5 MiB`, as the CLI says
 * it) shows a size on the console's pages: a view never works out KB or MB itself.
 */
export function usePageViews(app: Express, options: { reload: boolean }): void {
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('view cache', !options.reload);
  app.engine('ejs', (file, data, done) => {
    const labels = pageFieldLabels();
    const page = data as ejs.Data;
    page.fieldLabel = labels.fieldLabel;
    page.summaryLabel = labels.summaryLabel;
    ejs.renderFile(file, page, { root: VIEWS_DIR, cache: !options.reload }, (err, html) =>
      err ? done(err) : done(null, focusFirstInvalid(labels.fill(html))),
    );
  });
  app.locals.fragment = createFragments(options);
  app.locals.requiredMark = REQUIRED_MARK;
  app.locals.utcTime = (ms: number | null | undefined) => formatUtcTime(ms, '—');
  app.locals.utcDay = (ms: number | null | undefined) => formatUtcDay(ms, '—');
  app.locals.formatBytes = formatBytes;
}

/**
 * `fragment('/partials/switch-form', { workspace, csrfToken })` renders a partial from the views
 * folder with the data given and nothing else: for a partial repeated in a loop (a row's badge,
 * one form per workspace). EJS's `include` hands the partial a copy of every local of the page
 * (forty or more), so a list of N rows copied them N times; a fragment costs what its data costs.
 * Its template must name everything it uses in that data. Compiled once, unless `reload`.
 */
export function createFragments(options: { reload: boolean }): Fragment {
  const compiled = new Map<string, ejs.TemplateFunction>();
  return (name, data) => {
    let render = compiled.get(name);
    if (!render) {
      if (!name.startsWith('/') || name.includes('..')) throw new Error(`fragment names a partial from the views folder: ${name}`);
      const filename = path.join(VIEWS_DIR, `${name}.ejs`);
      render = ejs.compile(fs.readFileSync(filename, 'utf8'), { filename, root: VIEWS_DIR });
      if (!options.reload) compiled.set(name, render);
    }
    return render(data);
  };
}
