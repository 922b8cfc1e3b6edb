import { usePageViews } from '../../../core/http/page-views';
import express from 'express';
import request from 'supertest';
import { useLanguage } from '../../../core/i18n/page-language';
import { createInvitationSendLimit } from '../../../control-plane/auth/invitation-send-limit';

describe('the invitation send limit', () => {
  it("refuses a member's writes beyond the limit with a 429, counting each member apart", async () => {
    const app = express();
    usePageViews(app, { reload: false });
    app.use((req, _res, next) => {
      req.user = { id: String(req.headers['x-user']), email: 'x@example.com', name: 'X', isSuperAdmin: false, language: null };
      next();
    });
    app.use((_req, res, next) => {
      useLanguage(res, () => 'en');
      next();
    });
    app.post('/invite', createInvitationSendLimit(2), (_req, res) => void res.sendStatus(201));
    const send = (user: string) => request(app).post('/invite').set('x-user', user);
    expect((await send('a')).status).toBe(201);
    expect((await send('a')).status).toBe(201);
    const refused = await send('a');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Too many invitations');
    expect((await send('b')).status).toBe(201);
  });
});
