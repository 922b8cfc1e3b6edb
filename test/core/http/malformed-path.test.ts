import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { createApp } from '../../../app/create-app';

describe('a path with a broken %-escape', () => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await createTestPlatform();
  });
  afterEach(() => t.cleanup());

  it.each(['/t/%E0%A4%A/items', '/invitations/%E0%A4%A', '/password/reset/%zz'])('answers 400, not a 500, for %s', async (path) => {
    const res = await request(createApp(t.platform).app).get(path);
    expect(res.status).toBe(400);
    expect(res.text).toContain('The address could not be read');
  });
});
