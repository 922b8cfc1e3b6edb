import net from 'node:net';
import request from 'supertest';
import { parseEmailList } from '../../../control-plane/invitations/invite-members';
import { ValidationError } from '../../../core/errors/app-errors';
import { createApp } from '../../../app/create-app';
import type { LimitKey } from '../../../tenant-runtime/plan-catalogue';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { csrfFrom, signIn } from '../../support/http-agent';
import { bearer, personalToken } from '../../support/api-tokens';
import { outboxMails } from '../../support/outbox';

function problem(text: string) {
  try {
    parseEmailList(text);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields[0];
    throw error;
  }
  return undefined;
}

describe('the invitation email list', () => {
  it('accepts commas, semicolons, spaces and new lines, lower-cases and de-duplicates', () => {
    expect(parseEmailList('Ann@Example.com, ben@example.com;\r\ncat@example.com  ann@example.com')).toEqual([
      'ann@example.com',
      'ben@example.com',
      'cat@example.com',
    ]);
  });

  it('names the first bad address', () => {
    expect(problem('ok@example.com, not-an-address, also bad')).toEqual({
      field: 'emails',
      message: 'contains “not-an-address”, which is not a valid email address',
    });
  });

  it('requires at least one address and at most 50', () => {
    expect(problem(' ,\n ')?.message).toContain('at least one');
    expect(problem(Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join('\n'))?.message).toContain('at most 50');
  });
});

/**
 * Two batches in flight at once, through the API and through the page: the second is sent while
 * the first is mailing its links (where a batch written one address at a time was half-written).
 */
describe('two invitation batches sent at once', () => {
  let t: TestPlatform;
  let app: ReturnType<typeof createApp>['app'];
  let n = 0;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = createApp(t.platform, { tokenEndpointLimit: 1000 }).app;
  });
  afterAll(() => t.cleanup());

  type Answer = { status: number; refusal: string; links: string[] };
  type Send = (emails: string[]) => Promise<Answer>;

  /** A fresh workspace under the given limits, and a way to send it a batch through the API or the page. */
  async function workspace(via: 'API' | 'page', limits: Partial<Record<LimitKey, number | null>> = {}) {
    const tenant = await makeTenant(t.platform, `batch${++n}`);
    const ownerUser = await makeUser(t.platform);
    await addMember(t.platform, ownerUser, tenant, 'owner');
    t.platform.plans.setTenantOverrides(tenant.id, { limits });
    const roleId = t.platform.roles.findPredefined('viewer')?.id ?? 0;
    const address = (name: string) => `${name}.${tenant.slug}@example.com`;
    let send: Send;
    if (via === 'API') {
      const token = bearer(personalToken(t.platform, ownerUser));
      send = async (emails) => {
        const res = await request(app)
          .post(`/api/v1/t/${tenant.slug}/invitations`)
          .set(token)
          .send({ emails: emails.map(address), role_id: roleId });
        const links = res.status === 201 ? (res.body.data as Array<{ url: string }>).map((s) => s.url) : [];
        return { status: res.status, refusal: res.body.errors?.[0]?.message ?? res.body.detail ?? '', links };
      };
    } else {
      const owner = await signIn(app, ownerUser.email);
      const _csrf = await csrfFrom(owner, '/tenants');
      const path = `/t/${tenant.slug}/invitations`;
      send = async (emails) => {
        const res = await owner
          .post(path)
          .type('form')
          .send({ emails: emails.map(address).join(', '), role_id: String(roleId), _csrf });
        // Links are shown once, on the page the POST redirects to.
        const links =
          res.status === 303 ? [...(await owner.get(path)).text.matchAll(/value="(http:\/\/[^"]+\/invitations\/[A-Za-z0-9_-]{43})"/g)].map((m) => m[1]) : [];
        return { status: res.status, refusal: res.status === 303 ? '' : res.text.replace(/&#39;/g, "'"), links };
      };
    }
    const rows = () =>
      t.platform.db.all<{ email: string; state: string; token_hash: string }>(
        'select email, state, token_hash from invitations where tenant_id = ? order by rowid',
        [tenant.id],
      );
    const mailedTo = () =>
      outboxMails(t.dataDir)
        .filter((m) => m.to.endsWith(`.${tenant.slug}@example.com`))
        .map((m) => ({ to: m.to, link: /http:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(m.text)?.[0] }));
    return { tenant, send, address, rows, mailedTo };
  }

  /** Sends `second` the moment `first` sends its first mail; mails then wait until `second` mails too or is answered. */
  async function whileFirstMails(first: () => Promise<Answer>, second: () => Promise<Answer>): Promise<[Answer, Answer]> {
    const send = t.platform.mailer.send.bind(t.platform.mailer);
    let firstMail: () => void = () => {};
    const mailing = new Promise<void>((resolve) => (firstMail = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    t.platform.mailer.send = async (message) => {
      if (++calls === 1) firstMail();
      else release();
      await released;
      return send(message);
    };
    try {
      return await Promise.all([first().finally(firstMail), mailing.then(() => second().finally(release))]);
    } finally {
      t.platform.mailer.send = send;
    }
  }

  const works = async (link: string) => (await request(app).get(new URL(link).pathname)).status;

  it.each(['API', 'page'] as const)(
    'through the %s at the pending invitations limit, writes one batch whole and refuses the other as if sent after it, writing and mailing nothing of it',
    async (via) => {
      const w = await workspace(via, { pending_invitations: 3 });
      const [first, second] = await whileFirstMails(
        () => w.send(['h1', 'h2', 'h3']),
        () => w.send(['h4', 'h5']),
      );
      expect(first.status).toBe(via === 'API' ? 201 : 303);
      expect(second.status).toBe(403);
      expect(second.refusal).toContain('Limit reached: Pending invitations. This workspace uses 3 of 3.');
      expect(w.rows().map((r) => [r.email, r.state])).toEqual(['h1', 'h2', 'h3'].map((name) => [w.address(name), 'pending']));
      expect(first.links).toHaveLength(3);
      for (const link of first.links) expect(await works(link)).toBe(200);
      expect(w.mailedTo().sort((a, b) => a.to.localeCompare(b.to))).toEqual(
        ['h1', 'h2', 'h3'].map((name, i) => ({ to: w.address(name), link: first.links[i] })),
      );
    },
  );

  it.each(['API', 'page'] as const)(
    'through the %s naming the same address beside a new one, refuses the second for its pending invitation and never revokes the link the first sent',
    async (via) => {
      const w = await workspace(via);
      const [first, second] = await whileFirstMails(
        () => w.send(['p1', 'p2', 'p3']),
        () => w.send(['p3', 'p4']),
      );
      expect(first.status).toBe(via === 'API' ? 201 : 303);
      expect(second.status).toBe(400);
      expect(second.refusal).toContain(`contains ${w.address('p3')}, who already has a pending invitation`);
      expect(w.rows().map((r) => [r.email, r.state])).toEqual(['p1', 'p2', 'p3'].map((name) => [w.address(name), 'pending']));
      for (const link of first.links) expect(await works(link)).toBe(200);
      expect(
        w
          .mailedTo()
          .map((m) => m.to)
          .sort(),
      ).toEqual(['p1', 'p2', 'p3'].map(w.address));
    },
  );
});

describe('an invitation batch while the mail server does not answer', () => {
  let t: TestPlatform;
  let server: net.Server;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never greets.
    server = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const smtp = `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    t = await createTestPlatform({ SMTP_URL: smtp }, { mailer: { greetingTimeoutMs: 500 } });
  });
  afterAll(async () => {
    await t.cleanup();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is answered after one wait for the server, with every link shown as not mailed', async () => {
    const app = createApp(t.platform).app;
    const tenant = await makeTenant(t.platform, 'silent');
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, tenant, 'owner');
    const started = Date.now();
    const res = await request(app)
      .post('/api/v1/t/silent/invitations')
      .set(bearer(personalToken(t.platform, owner)))
      .send({ emails: 'a@example.com, b@example.com, c@example.com, d@example.com', role_id: t.platform.roles.findPredefined('viewer')?.id });
    expect(res.status).toBe(201);
    expect((res.body.data as Array<{ mailed: boolean; url: string }>).map((s) => [s.mailed, s.url.length > 0])).toEqual(Array(4).fill([false, true]));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(sockets).toHaveLength(1);
  });
});
