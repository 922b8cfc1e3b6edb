import express from 'express';
import request from 'supertest';
import { readCookies } from '../../../core/http/read-cookies';

function echoCookies() {
  const app = express();
  app.use(readCookies);
  app.get('/', (req, res) => void res.json(req.cookies));
  return app;
}

describe('the request cookies', () => {
  it('are read by name, their values decoded', async () => {
    const res = await request(echoCookies()).get('/').set('Cookie', 'tenantry.sid=abc.def; theme=dark%20blue').expect(200);
    expect(res.body).toEqual({ 'tenantry.sid': 'abc.def', theme: 'dark blue' });
  });

  it('are an empty set without a Cookie header', async () => {
    expect((await request(echoCookies()).get('/').expect(200)).body).toEqual({});
  });

  it('keep a value with a malformed escape as it came', async () => {
    const res = await request(echoCookies()).get('/').set('Cookie', 'bad=%E0%A4%A; ok=1').expect(200);
    expect(res.body).toEqual({ bad: '%E0%A4%A', ok: '1' });
  });
});
