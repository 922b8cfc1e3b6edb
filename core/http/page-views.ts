import path from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';

/** The product's page templates. */
export const VIEWS_DIR = path.resolve(__dirname, '../../views');

/**
 * Renders pages from the views folder with EJS. Includes name their partial from that folder
 * (`include('/partials/header')`), so EJS finds it without asking the file system (a relative
 * include is looked for with a stat call each time it is rendered). Templates are compiled once
 * and kept, whatever NODE_ENV says (express keeps them only in production), unless `reload`:
 * then they are read and compiled again on every render, for editing them (decision 039).
 */
export function usePageViews(app: Express, options: { reload: boolean }): void {
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('view cache', !options.reload);
  app.engine('ejs', (file, data, done) => {
    ejs.renderFile(file, data as ejs.Data, { root: VIEWS_DIR, cache: !options.reload }, done);
  });
}
