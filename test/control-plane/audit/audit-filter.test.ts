import { adminAuditFilterSchema, auditFilterSchema, filterQuery } from '../../../control-plane/audit/audit-filter';

describe('audit filters', () => {
  it('treat empty form fields as "any" and start on page 1', () => {
    expect(auditFilterSchema('UTC').parse({ action: '', actor: ' ', from: '', to: '', page: '' })).toEqual({ page: 1 });
  });

  it('normalise the actor email and drop fields they do not know', () => {
    expect(auditFilterSchema('UTC').parse({ actor: ' Ada@Example.COM ', tenant: 'bravo', tenant_id: 'x' })).toEqual({ actor: 'ada@example.com', page: 1 });
  });

  it("take a tenant slug only in the super admin's form", () => {
    expect(adminAuditFilterSchema.parse({ tenant: 'bravo' })).toEqual({ tenant: 'bravo', page: 1 });
    expect(adminAuditFilterSchema.safeParse({ tenant: 'Bravo!' }).success).toBe(false);
  });

  it("count whole days of the trail's time zone, the end day included", () => {
    expect(auditFilterSchema('UTC').parse({ from: '2025-03-01', to: '2025-03-01' })).toMatchObject({
      fromMs: Date.parse('2025-03-01T00:00:00Z'),
      toMs: Date.parse('2025-03-02T00:00:00Z'),
    });
    expect(auditFilterSchema('Europe/Paris').parse({ from: '2025-03-01', to: '2025-03-01' })).toMatchObject({
      fromMs: Date.parse('2025-02-28T23:00:00Z'),
      toMs: Date.parse('2025-03-01T23:00:00Z'),
    });
    expect(auditFilterSchema('America/Los_Angeles').parse({ from: '2025-11-26', to: '2025-11-26' })).toMatchObject({
      fromMs: Date.parse('2025-11-26T08:00:00Z'),
      toMs: Date.parse('2025-11-27T08:00:00Z'),
    });
  });

  it('count a day whose clocks change as it is there: 23 or 25 hours, or starting after a gap at midnight', () => {
    expect(auditFilterSchema('Europe/Paris').parse({ from: '2025-03-30', to: '2025-03-30' })).toMatchObject({
      fromMs: Date.parse('2025-03-29T23:00:00Z'),
      toMs: Date.parse('2025-03-30T22:00:00Z'),
    });
    expect(auditFilterSchema('Europe/Paris').parse({ from: '2025-10-26', to: '2025-10-26' })).toMatchObject({
      fromMs: Date.parse('2025-10-25T22:00:00Z'),
      toMs: Date.parse('2025-10-26T23:00:00Z'),
    });
    // Santiago's clocks go from 00:00 to 01:00 on 2025-09-07: that day starts at 01:00 (04:00Z).
    expect(auditFilterSchema('America/Santiago').parse({ from: '2025-09-07', to: '2025-09-07' })).toMatchObject({
      fromMs: Date.parse('2025-09-07T04:00:00Z'),
    });
  });

  it('refuse a day they cannot place, naming the field', () => {
    const refused = auditFilterSchema('Europe/Paris').safeParse({ from: '2025-02-30', to: '9999-12-31' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['from']);
    const end = auditFilterSchema('Europe/Paris').safeParse({ to: '9999-12-31' });
    expect(end.error?.issues.map((i) => i.path.join('.'))).toEqual(['to']);
  });

  it('write themselves back into a query string', () => {
    expect(filterQuery({ action: 'auth.login', actor: 'a@b.co', page: 1 }, 2)).toBe('?action=auth.login&actor=a%40b.co&page=2');
    expect(filterQuery({ page: 1 })).toBe('');
  });
});
