import { createTestPlatform, type TestPlatform } from '../../support/test-platform';
import { NearLimitBoard } from '../../../control-plane/usage/near-limit-board';
import { UsageRollupStore } from '../../../control-plane/usage/usage-rollup-store';

describe('the board of tenants near their limits', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
  });
  afterAll(() => t.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('reads the roll-up once per interval, and again at once when the clock was set back since', () => {
    const reads = jest.spyOn(UsageRollupStore.prototype, 'limitsAtOrOver');
    let now = 10_000_000;
    const board = new NearLimitBoard(t.platform.db, 30_000, () => now);
    board.of('t1');
    now += 29_000;
    board.of('t1');
    expect(reads).toHaveBeenCalledTimes(1);
    now += 1_000;
    board.of('t1');
    expect(reads).toHaveBeenCalledTimes(2);
    now -= 3600_000;
    board.of('t1');
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
