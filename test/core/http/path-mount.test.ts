import express from 'express';
import request from 'supertest';
import { atPath, underPaths } from '../../../core/http/path-mount';

describe('a mount path checked by string', () => {
  it('matches the path and what is below it, in any case, at a segment boundary only', () => {
    const under = underPaths(['/api', '/api/v1/t']);
    for (const url of ['/api', '/API/x', '/api?q=1', '/api/v1/t/acme']) expect(under(url)).toBe(true);
    for (const url of ['/apix', '/ap', '/', '/x/api']) expect(under(url)).toBe(false);
    expect(underPaths(['/a.b'])('/aXb')).toBe(false);
  });

  it('serves what is under it with the rest of the path, and puts the request back for what comes next', async () => {
    const app = express();
    app.use(atPath('/static', (req, res, next) => (req.url === '/missing' ? next() : res.json({ baseUrl: req.baseUrl, url: req.url }))));
    app.use((req, res) => res.status(404).json({ baseUrl: req.baseUrl, url: req.url }));
    expect((await request(app).get('/STATIC/style.css?v=2')).body).toEqual({ baseUrl: '/STATIC', url: '/style.css?v=2' });
    expect((await request(app).get('/static/missing').expect(404)).body).toEqual({ baseUrl: '', url: '/static/missing' });
    expect((await request(app).get('/statics/x').expect(404)).body).toEqual({ baseUrl: '', url: '/statics/x' });
  });
});
