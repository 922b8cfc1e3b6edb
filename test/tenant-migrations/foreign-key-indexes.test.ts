import { templateDatabases, unindexedForeignKeys } from '../support/foreign-key-indexes';

describe('the tenant schema', () => {
  // Items and webhook deliveries are deleted (their comments, history, attachments and attempts
  // go with them): each child table must find a parent's rows without reading all of itself.
  it('has an index on the child columns of every foreign key', async () => {
    const { tenant } = await templateDatabases();

    expect(unindexedForeignKeys(tenant)).toEqual([]);
  });
});
