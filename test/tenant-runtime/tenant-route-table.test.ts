import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { atTenantPath } from '../../tenant-runtime/tenant-path-mount';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';

/** A stand-in tenant entry: every permission granted, the context only what the handlers read. */
const entry: RequestHandler = (req, res, next) => {
  res.locals.ctx = { can: () => true, tenant: { id: 't1', slug: String(req.params.slug) } } as unknown as TenantRequestContext;
  next();
};

function appWith(declare: (table: TenantRouteTable) => void) {
  const table = new TenantRouteTable(entry);
  declare(table);
  const app = express();
  app.use(atTenantPath(table.handler));
  app.use((req, res) => res.status(404).json({ fellThrough: req.url, params: req.params }));
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) =>
    res.status(err instanceof URIError ? 400 : 500).json({ error: err.message, params: req.params }),
  );
  return app;
}

describe('a tenant route table', () => {
  it('serves a route with the mount and route parameters together', async () => {
    const app = appWith((t) => t.get('/items/:id', 'content.view', (_ctx, req, res) => res.json(req.params)));
    expect((await request(app).get('/t/acme/items/5').expect(200)).body).toEqual({ slug: 'acme', id: '5' });
  });

  it('takes the first route declared that matches, as express would', async () => {
    const app = appWith((t) =>
      t
        .get('/items/new', 'content.create', (_ctx, _req, res) => res.json({ route: 'new' }))
        .get('/items/:id', 'content.view', (_ctx, _req, res) => res.json({ route: 'id' })),
    );
    expect((await request(app).get('/t/acme/items/new')).body).toEqual({ route: 'new' });
    expect((await request(app).get('/t/acme/items/7')).body).toEqual({ route: 'id' });
  });

  it('serves HEAD with the GET route, and never a POST with it', async () => {
    const app = appWith((t) => t.get('/items', 'content.view', (_ctx, _req, res) => res.json({ ok: true })));
    await request(app).head('/t/acme/items').expect(200);
    const post = await request(app).post('/t/acme/items').expect(404);
    expect(post.body).toEqual({ fellThrough: '/t/acme/items', params: {} });
  });

  it('passes an unknown path on, with the request as it came', async () => {
    const app = appWith((t) => t.get('/items', 'content.view', (_ctx, _req, res) => res.json({ ok: true })));
    expect((await request(app).get('/t/acme/nothing?x=1').expect(404)).body).toEqual({ fellThrough: '/t/acme/nothing?x=1', params: {} });
  });

  it('hands a thrown or rejected error to the error handler, with the route parameters gone', async () => {
    const app = appWith((t) =>
      t
        .get('/sync', 'content.view', () => {
          throw new Error('thrown');
        })
        .get('/async/:id', 'content.view', async () => {
          await Promise.resolve();
          throw new Error('rejected');
        }),
    );
    expect((await request(app).get('/t/acme/sync').expect(500)).body).toEqual({ error: 'thrown', params: {} });
    expect((await request(app).get('/t/acme/async/3').expect(500)).body).toEqual({ error: 'rejected', params: {} });
  });

  it('answers a malformed escape in a route parameter with a 400', async () => {
    const app = appWith((t) => t.get('/items/:id', 'content.view', (_ctx, _req, res) => res.json({ ok: true })));
    await request(app).get('/t/acme/items/%E0%A4%A').expect(400);
  });

  it('lists each route with the steps it runs, the gates before the handler', () => {
    const table = new TenantRouteTable(entry);
    table.get('/items', { permission: 'content.view', feature: 'csv' }, () => undefined);
    const [route] = table.routes;
    const marks = route.handlers.map(
      (h) => (h as { requiredPermission?: string; requiredFeature?: string }).requiredPermission ?? (h as { requiredFeature?: string }).requiredFeature ?? '-',
    );
    expect(marks).toEqual(['-', 'content.view', 'csv', '-']);
  });
});
