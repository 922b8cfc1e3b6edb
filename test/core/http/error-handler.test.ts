import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../../core/http/error-handler';
import { formView } from '../../../core/http/form-view';
import { ValidationError } from '../../../core/errors/app-errors';
import { createLogger } from '../../../core/logging/logger';

describe('the error handler re-showing a form', () => {
  let views: string;
  const lines: string[] = [];

  beforeAll(() => {
    views = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-views-'));
    fs.writeFileSync(path.join(views, 'echo.ejs'), '<form><%= JSON.stringify(values) %></form>');
    fs.writeFileSync(path.join(views, 'broken.ejs'), '<form><%= values.missing.field %></form>');
  });
  afterAll(() => fs.rmSync(views, { recursive: true, force: true }));
  beforeEach(() => {
    lines.length = 0;
  });

  const appShowing = (view: string) => {
    const app = express();
    app.set('view engine', 'ejs');
    app.set('views', views);
    app.use(express.json());
    app.use(express.urlencoded({ extended: false }));
    app.post('/form', formView(view), () => {
      throw ValidationError.single('title', 'Enter a title.');
    });
    app.use(errorHandler(createLogger('info', { write: (line: string) => void lines.push(line) })));
    return app;
  };

  it('puts back only the text typed: strings and lists of strings, never a password or a structure', async () => {
    const res = await request(appShowing('echo'))
      .post('/form')
      .send({ title: 'kept', tags: ['a', 'b'], password: 'hunter2', nested: { a: 1 }, count: 3, mixed: ['a', { b: 1 }] });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text.replace(/^<form>|<\/form>$/g, '').replace(/&#34;/g, '"'))).toEqual({ title: 'kept', tags: ['a', 'b'] });
  });

  it('answers a plain 500 and logs the bug when the page itself cannot be rendered, never showing its stack', async () => {
    const res = await request(appShowing('broken')).post('/form').send({ title: 'x' });
    expect(res.status).toBe(500);
    expect(res.text).toBe('Something went wrong on our side. It has been logged.');
    expect(res.text).not.toMatch(/TypeError|\.ejs|at /);
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string; page?: string });
    expect(logged).toEqual([expect.objectContaining({ level: 50, msg: 'error page failed to render', page: 'broken' })]);
  });
});
