import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import request from 'supertest';
import { frontDoor } from '../../../core/http/front-door';

/** An app whose front door answers /front, throws on /throw, rejects on /reject and passes /fail on as an error. */
function appWithFrontDoor(routerLayers: string[]) {
  const app = express();
  app.set('views', __dirname);
  app.set('view engine', 'ejs');
  const first: RequestHandler = (req, res, next) => {
    if (req.url === '/front') return void res.json({ url: req.url, originalUrl: req.originalUrl, baseUrl: req.baseUrl, locals: typeof res.locals });
    if (req.url === '/throw') throw new Error('thrown at the door');
    if (req.url === '/reject') return Promise.reject(new Error('rejected at the door')) as unknown as void;
    if (req.url === '/fail') return next(new Error('passed on at the door'));
    if (req.url === '/render') return res.render('no-such-view');
    res.setHeader('x-front-door', 'passed');
    next();
  };
  frontDoor(app, first);
  app.use((req, _res, next) => {
    routerLayers.push(req.url);
    next();
  });
  app.get('/later', (req, res) => void res.json({ url: req.url, header: res.getHeader('x-front-door') }));
  const sub = express();
  sub.get('/inner', (req, res) => void res.json({ baseUrl: req.baseUrl }));
  app.use('/sub', sub);
  const errors: ErrorRequestHandler = (err: Error, _req, res, _next) => void res.status(500).json({ error: err.message });
  app.use(errors);
  return app;
}

describe('the front door ahead of the router', () => {
  it('answers what it serves without the router, with what express gives a request', async () => {
    const layers: string[] = [];
    const res = await request(appWithFrontDoor(layers)).get('/front').expect(200);
    expect(res.body).toEqual({ url: '/front', originalUrl: '/front', baseUrl: '', locals: 'object' });
    expect(layers).toEqual([]);
  });

  it('hands what it passes on to the router, with what it did to the response kept', async () => {
    const layers: string[] = [];
    const app = appWithFrontDoor(layers);
    expect((await request(app).get('/later').expect(200)).body).toEqual({ url: '/later', header: 'passed' });
    expect((await request(app).get('/sub/inner').expect(200)).body).toEqual({ baseUrl: '/sub' });
    expect(layers).toEqual(['/later', '/sub/inner']);
  });

  it("gives the app's own error handler what it throws, rejects or passes on, and a render's failure", async () => {
    const app = appWithFrontDoor([]);
    expect((await request(app).get('/throw').expect(500)).body).toEqual({ error: 'thrown at the door' });
    expect((await request(app).get('/reject').expect(500)).body).toEqual({ error: 'rejected at the door' });
    expect((await request(app).get('/fail').expect(500)).body).toEqual({ error: 'passed on at the door' });
    expect((await request(app).get('/render').expect(500)).body.error).toMatch(/Failed to lookup view "no-such-view"/);
  });

  it('leaves an error it handed on behind: the next request through the same app starts clean', async () => {
    const layers: string[] = [];
    const app = appWithFrontDoor(layers);
    await request(app).get('/fail').expect(500);
    expect((await request(app).get('/later').expect(200)).body.url).toBe('/later');
  });

  it('answers an OPTIONS request the router knows the methods of, as express does', async () => {
    const res = await request(appWithFrontDoor([])).options('/later').expect(200);
    expect(res.headers.allow).toMatch(/GET/);
  });

  it('runs as express always did when its app is mounted inside another app', async () => {
    const layers: string[] = [];
    const outer = express();
    outer.use('/inside', appWithFrontDoor(layers));
    expect((await request(outer).get('/inside/later').expect(200)).body.url).toBe('/later');
    expect(layers).toEqual(['/later']);
  });
});
