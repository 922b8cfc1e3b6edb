import { entitlementFieldsSchema } from '../../../control-plane/plans/plan-schemas';

describe('plan and override fields', () => {
  it.each(['constructor', '__proto__', 'toString', 'maybe'])('refuses %s as a feature switch, naming the field', (value) => {
    const result = entitlementFieldsSchema.safeParse({ feature_api: value });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['feature_api'], message: 'must be on or off' })]);
  });

  it('reads the words for on and off, and leaves a blank or "plan" to the plan', () => {
    expect(entitlementFieldsSchema.parse({ feature_api: 'On', feature_csv: 'no', feature_branding: '', feature_scheduling: 'plan' })).toMatchObject({
      feature_api: true,
      feature_csv: false,
      feature_branding: undefined,
      feature_scheduling: undefined,
    });
  });
});
