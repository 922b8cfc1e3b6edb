import { adminAuditFilterSchema, auditFilterSchema, filterQuery, timeRangeOf } from '../../../control-plane/audit/audit-filter';

describe('audit filters', () => {
  it('treat empty form fields as "any" and start on page 1', () => {
    expect(auditFilterSchema.parse({ action: '', actor: ' ', from: '', to: '', page: '' })).toEqual({ page: 1 });
  });

  it('normalise the actor email and drop fields they do not know', () => {
    expect(auditFilterSchema.parse({ actor: ' Ada@Example.COM ', tenant: 'bravo', tenant_id: 'x' })).toEqual({ actor: 'ada@example.com', page: 1 });
  });

  it("take a tenant slug only in the super admin's form", () => {
    expect(adminAuditFilterSchema.parse({ tenant: 'bravo' })).toEqual({ tenant: 'bravo', page: 1 });
    expect(adminAuditFilterSchema.safeParse({ tenant: 'Bravo!' }).success).toBe(false);
  });

  it('count whole UTC days, the end day included', () => {
    expect(timeRangeOf({ from: '2025-03-01', to: '2025-03-01' })).toEqual({
      fromMs: Date.parse('2025-03-01T00:00:00Z'),
      toMs: Date.parse('2025-03-02T00:00:00Z'),
    });
  });

  it('write themselves back into a query string', () => {
    expect(filterQuery({ action: 'auth.login', actor: 'a@b.co', page: 1 }, 2)).toBe('?action=auth.login&actor=a%40b.co&page=2');
    expect(filterQuery({ page: 1 })).toBe('');
  });
});
