import express, { type Request } from 'express';
import request from 'supertest';
import { atTenantPath } from '../../tenant-runtime/tenant-path-mount';

/** What the mounted handler saw, and what the request looked like again after it passed it on. */
function appSeeing(pass: boolean) {
  const seen: Array<{ baseUrl: string; url: string; params: Request['params'] }> = [];
  const app = express();
  app.use(
    atTenantPath((req, res, next) => {
      seen.push({ baseUrl: req.baseUrl, url: req.url, params: { ...req.params } });
      if (pass) return next();
      res.json({ served: true });
    }),
  );
  app.use((req, res) => res.status(404).json({ baseUrl: req.baseUrl, url: req.url, params: req.params }));
  app.use((err: Error, _req: Request, res: express.Response, _next: express.NextFunction) =>
    res.status(err instanceof URIError ? 400 : 500).json({ error: err.name }),
  );
  return { app, seen };
}

describe('serving /t/<slug> with a handler', () => {
  it('gives the handler the slug, the prefix as baseUrl and the rest as url, as a mount would', async () => {
    const { app, seen } = appSeeing(false);
    await request(app).get('/t/acme/items/5?x=1').expect(200);
    await request(app).get('/T/acme').expect(200);
    await request(app).get('/t/acme?x=1').expect(200);
    await request(app).get('/t/caf%C3%A9/items').expect(200);
    expect(seen).toEqual([
      { baseUrl: '/t/acme', url: '/items/5?x=1', params: { slug: 'acme' } },
      { baseUrl: '/T/acme', url: '/', params: { slug: 'acme' } },
      { baseUrl: '/t/acme', url: '/?x=1', params: { slug: 'acme' } },
      { baseUrl: '/t/caf%C3%A9', url: '/items', params: { slug: 'café' } },
    ]);
  });

  it('puts the request back as it was when the handler passes it on', async () => {
    const { app } = appSeeing(true);
    const res = await request(app).get('/t/acme/items?x=1').expect(404);
    expect(res.body).toEqual({ baseUrl: '', url: '/t/acme/items?x=1', params: {} });
  });

  it('leaves other paths, and /t/ without a slug, to what comes next', async () => {
    const { app, seen } = appSeeing(false);
    for (const path of ['/t', '/t/', '/tenants', '/admin/t/acme', '/tx/acme']) await request(app).get(path).expect(404);
    expect(seen).toEqual([]);
  });

  it('answers a malformed escape in the slug with the error handler (400), never the handler', async () => {
    const { app, seen } = appSeeing(false);
    await request(app).get('/t/%E0%A4%A/items').expect(400);
    expect(seen).toEqual([]);
  });
});
