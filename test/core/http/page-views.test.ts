import fs from 'node:fs';
import path from 'node:path';
import { VIEWS_DIR } from '../../../core/http/page-views';

function templates(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? templates(full) : entry.name.endsWith('.ejs') ? [full] : [];
  });
}

describe('the page views', () => {
  it('name every partial they include from the views folder', () => {
    const relative = templates(VIEWS_DIR).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/include\(\s*(['"])([^'"]*)\1/g)]
        .filter(([, , name]) => !name.startsWith('/'))
        .map(([, , name]) => `${path.relative(VIEWS_DIR, file)}: ${name}`),
    );
    expect(relative).toEqual([]);
  });
});
