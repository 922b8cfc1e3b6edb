import fs from 'node:fs';
import path from 'node:path';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { addMember, makeTenant, makeUser } from '../../support/factories';
import { addItem, fillTenant, itemTitles, storeReply, tenantState } from '../../support/tenant-data';
import { withTenantFile } from '../../support/tenant-file';
import { endpointStates, plantEndpoint } from '../../support/webhooks';
import { inTenant, makeItem } from '../../support/content';
import { msg } from '../../../core/i18n/message';
import { transitionItem } from '../../../workspace/workflow/transition-item';
import { workflowContext } from '../../../workspace/workflow/workflow-context';
import { ALL_PERMISSIONS } from '../../../tenant-runtime/permission-catalogue';
import { ownerOf, ownerStamp } from '../../../tenant-runtime/tenant-file-owner';
import { cloneTenant } from '../../../control-plane/transfer/clone-tenant';
import { tenantPaths, tenantsRoot } from '../../../tenant-runtime/tenant-paths';
import { SecretBox } from '../../../core/crypto/secret-box';
import { SecretRepository } from '../../../workspace/secrets/secret-repository';
import type { TenantRecord } from '../../../control-plane/tenants/tenant-record';
import request from 'supertest';
import { createApp } from '../../../app/create-app';
import { bearer, personalToken } from '../../support/api-tokens';

describe('cloneTenant', () => {
  let t: TestPlatform;
  let acme: TenantRecord;

  beforeEach(async () => {
    t = await createTestPlatform();
    acme = await makeTenant(t.platform, 'acme', 'Acme Inc');
    await fillTenant(t, acme);
  });
  afterEach(() => t.cleanup());

  const clone = (extra: Partial<Parameters<typeof cloneTenant>[1]> = {}) =>
    cloneTenant(t.platform, { slug: 'acme', toSlug: 'acme-staging', actorUserId: null, ...extra });

  it('makes a new tenant, with its own id and folder, holding every row and file of the source in a file that names the copy as its owner', async () => {
    const { tenant } = await clone();

    expect(tenant).toMatchObject({ slug: 'acme-staging', name: 'Acme Inc (copy)', status: 'active', schema_version: t.platform.tenantSource.latest });
    expect(tenant.id).not.toBe(acme.id);
    expect(tenantPaths(t.dataDir, tenant.id).dir).not.toBe(tenantPaths(t.dataDir, acme.id).dir);
    expect(tenantState(t.dataDir, tenant.id)).toEqual(tenantState(t.dataDir, acme.id));
    expect(withTenantFile(t, 'acme-staging', ownerOf)).toBe(ownerStamp(tenant.id));
    const audit = t.platform.db.get<{ after: string }>("select after from audit_events where action = 'tenant.clone' and tenant_id = ?", [tenant.id]);
    expect(JSON.parse(audit!.after)).toMatchObject({ from: acme.id, from_slug: 'acme' });
  });

  it("keeps none of the source's API answers for idempotency keys: they were its replies, under its slug", async () => {
    withTenantFile(t, 'acme', (db) => storeReply(db, JSON.stringify({ data: { url: 'https://tenantry.example/t/acme/items/1' } })));
    const { tenant } = await clone();
    expect(tenantState(t.dataDir, tenant.id).tables.idempotency_keys).toEqual([]);
    expect(tenantState(t.dataDir, acme.id).tables.idempotency_keys).toHaveLength(1);
  });

  it("pauses the copy's webhook endpoints, naming the source: the clone's events never reach the source's receivers", async () => {
    await plantEndpoint(t.platform, acme, 'https://hooks.acme.example/tenantry');
    const { tenant: copy } = await clone();

    expect(await endpointStates(t.platform, copy)).toEqual([
      {
        url: 'https://hooks.acme.example/tenantry',
        enabled: 0,
        disabled_reason: msg('Paused: copied from {{source}}. Check its address, then enable it', { source: 'acme' }),
      },
    ]);
    expect(await endpointStates(t.platform, acme)).toEqual([{ url: 'https://hooks.acme.example/tenantry', enabled: 1, disabled_reason: null }]);
    const item = await makeItem(t.platform, copy, { title: 'A test edit in the copy' });
    const queued = await inTenant(t.platform, copy, (db) =>
      transitionItem(workflowContext(db, { id: 'u-author', name: 'Author' }, new Set(ALL_PERMISSIONS)), item.id, 'submit'),
    );
    expect(queued.eventsQueued).toBe(0);
  });

  it("starts the clone's use of its plan at nothing: the source's API requests of the day are not the clone's", async () => {
    const owner = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    const { app } = createApp(t.platform);
    const token = bearer(personalToken(t.platform, owner));
    for (let i = 0; i < 3; i++) expect((await request(app).get('/api/v1/t/acme/items').set(token)).status).toBe(200);
    const { tenant } = await clone({ withMembers: true });
    t.platform.plans.setTenantOverrides(tenant.id, { limits: { api_requests_per_day: 3 } });
    const first = await request(app).get('/api/v1/t/acme-staging/items').set(token);
    expect(first.status).toBe(200);
    expect(tenantState(t.dataDir, tenant.id).tables.usage_counters).toEqual([expect.objectContaining({ metric: 'api_requests', value: 1 })]);
    expect(tenantState(t.dataDir, acme.id).tables.usage_counters).toEqual([expect.objectContaining({ metric: 'api_requests', value: 3 })]);
  });

  it('keeps the secrets readable: same deployment, same key', async () => {
    const { tenant } = await clone();
    const lease = await t.platform.router.acquire(tenant.id);
    try {
      expect(new SecretRepository(lease.db).reveal(new SecretBox(t.config.secretsKey), 'mailer_api_key')).toBe('sk-live-acme-0123456789');
    } finally {
      lease.release();
    }
  });

  it('is independent afterwards: changes to either one never reach the other', async () => {
    const { tenant: copy } = await clone();
    const sourceBefore = tenantState(t.dataDir, acme.id);
    await addItem(t, copy, 'only in the clone');
    const [file] = Object.keys(tenantState(t.dataDir, copy.id).files);
    fs.rmSync(path.join(tenantPaths(t.dataDir, copy.id).files, file));
    expect(tenantState(t.dataDir, acme.id)).toEqual(sourceBefore);

    const copyBefore = tenantState(t.dataDir, copy.id);
    await addItem(t, acme, 'only in the source');
    expect(tenantState(t.dataDir, copy.id)).toEqual(copyBefore);
    expect(itemTitles(t.dataDir, copy.id)).toContain('only in the clone');
    expect(itemTitles(t.dataDir, acme.id)).not.toContain('only in the clone');
  });

  it('carries no byte of a row the source deleted: the copy holds live rows only', async () => {
    const marker = 'deleted-before-the-clone-';
    await addItem(t, acme, marker.repeat(300));
    withTenantFile(t, 'acme', (db) => db.prepare('delete from items where title like ?').run(`${marker}%`));
    const { tenant } = await clone();
    expect(itemTitles(t.dataDir, tenant.id)).toEqual(itemTitles(t.dataDir, acme.id));
    expect(fs.readFileSync(tenantPaths(t.dataDir, tenant.id).database).includes(Buffer.from(marker))).toBe(false);
  });

  it('copies no member unless asked', async () => {
    const user = await makeUser(t.platform);
    await addMember(t.platform, user, acme, 'editor');
    const { tenant, members } = await clone();
    expect(members).toBe(0);
    expect(t.platform.memberships.listMembers(tenant.id)).toEqual([]);
  });

  it('copies members with their roles, custom roles (and their parents) copied into the clone', async () => {
    const owner = await makeUser(t.platform);
    const reviewer = await makeUser(t.platform);
    await addMember(t.platform, owner, acme, 'owner');
    const editorRole = t.platform.roles.findPredefined('editor')!;
    const base = t.platform.roles.insertCustom(acme.id, 'custom-senior', {
      name: 'Senior editor',
      description: '',
      parentRoleId: editorRole.id,
      permissions: ['team.view'],
    });
    const child = t.platform.roles.insertCustom(acme.id, 'custom-lead', { name: 'Lead', description: '', parentRoleId: base, permissions: ['team.invite'] });
    t.platform.memberships.upsert(reviewer.id, acme.id, child);

    const { tenant, members } = await clone({ withMembers: true });

    expect(members).toBe(2);
    const copied = t.platform.memberships.findActive(reviewer.id, tenant.id)!;
    expect(copied.role_id).not.toBe(child);
    const lead = t.platform.roles.findById(copied.role_id)!;
    expect(lead).toMatchObject({ tenant_id: tenant.id, name: 'Lead' });
    expect(t.platform.roles.findById(lead.parent_role_id!)).toMatchObject({ tenant_id: tenant.id, name: 'Senior editor', parent_role_id: editorRole.id });
    expect(t.platform.memberships.findActive(owner.id, tenant.id)?.role_key).toBe('owner');
  });

  it('refuses a slug that is taken, an unknown source and a source in maintenance, leaving nothing behind', async () => {
    await makeTenant(t.platform, 'taken');
    const before = fs.readdirSync(tenantsRoot(t.dataDir)).filter((n) => !n.startsWith('.'));
    await expect(clone({ toSlug: 'taken' })).rejects.toThrow('Some fields need attention.');
    await expect(cloneTenant(t.platform, { slug: 'nope', toSlug: 'x-1', actorUserId: null })).rejects.toThrow('No tenant with slug "nope".');
    t.platform.tenants.update(acme.id, { status: 'maintenance' });
    await expect(clone()).rejects.toThrow('Tenant acme is in maintenance; only active and suspended tenants can be cloned.');
    expect(fs.readdirSync(tenantsRoot(t.dataDir)).filter((n) => !n.startsWith('.'))).toEqual(before);
    expect(t.platform.tenants.findBySlug('acme-staging')).toBeUndefined();
  });

  it('undoes a clone that fails half-way: no row, no folder, the slug free again', async () => {
    t.platform.router.closeAll();
    fs.rmSync(tenantPaths(t.dataDir, acme.id).database);

    await expect(clone()).rejects.toThrow('Provisioning acme-staging failed at copy-data');

    expect(t.platform.tenants.findBySlug('acme-staging')).toBeUndefined();
    expect(fs.readdirSync(path.join(tenantsRoot(t.dataDir), '.provisioning'))).toEqual([]);
  });
});
