import type { Request } from 'express';
import { NotFoundError } from '../../control-plane/errors/app-errors';
import { parseInput } from '../../control-plane/http/parse-input';
import { formView } from '../../control-plane/http/form-view';
import type { TenantRouteTable } from '../tenant-route-table';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { itemIdSchema, itemInputSchema, pageSchema } from '../items/item-schemas';

const PAGE_SIZE = 25;

function tenantOf(req: Request) {
  if (!req.tenant) throw new NotFoundError();
  return req.tenant;
}

/** Looks the item up in this tenant's own file: an id from another tenant is simply not there. */
function itemOf(req: Request): ItemRow {
  const id = itemIdSchema.safeParse(req.params.id);
  const item = id.success ? new ItemRepository(tenantOf(req).db).find(id.data) : undefined;
  if (!item) throw new NotFoundError();
  return item;
}

export function itemRoutes(table: TenantRouteTable): void {
  table.get('/items', 'content.view', (req, res) => {
    const repo = new ItemRepository(tenantOf(req).db);
    const page = pageSchema.parse(req.query.page);
    const total = repo.count();
    res.render('tenant/items', { title: 'Items', items: repo.list(PAGE_SIZE, (page - 1) * PAGE_SIZE), page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), values: {}, errors: {} });
  });

  table.post('/items', 'content.create', formView('tenant/item-new', { title: 'New item' }), (req, res) => {
    const tenant = tenantOf(req);
    const input = parseInput(itemInputSchema, req.body);
    const id = new ItemRepository(tenant.db).create({ ...input, createdBy: req.user?.id ?? '' });
    res.redirect(303, `/t/${tenant.slug}/items/${id}`);
  });

  table.get('/items/new', 'content.create', (_req, res) => {
    res.render('tenant/item-new', { title: 'New item', values: {}, errors: {} });
  });

  table.get('/items/:id', 'content.view', (req, res) => {
    const item = itemOf(req);
    res.render('tenant/item', { title: item.title, item, values: item, errors: {} });
  });

  table.get('/api/items/:id', 'content.view', (req, res) => {
    res.json({ item: itemOf(req) });
  });

  table.post('/items/:id', 'content.edit', (req, res, next) => {
    const item = itemOf(req);
    formView('tenant/item', { title: item.title, item })(req, res, next);
  }, (req, res) => {
    const tenant = tenantOf(req);
    const item = itemOf(req);
    const input = parseInput(itemInputSchema, req.body);
    new ItemRepository(tenant.db).update(item.id, input);
    res.redirect(303, `/t/${tenant.slug}/items/${item.id}`);
  });

  table.post('/items/:id/delete', 'content.edit', (req, res) => {
    const tenant = tenantOf(req);
    const item = itemOf(req);
    new ItemRepository(tenant.db).delete(item.id);
    res.redirect(303, `/t/${tenant.slug}/items`);
  });
}
