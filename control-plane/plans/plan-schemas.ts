import { z } from 'zod';
import { FEATURE_KEYS, LIMIT_KEYS, LIMITS, type FeatureKey, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import type { FeatureOverrides, LimitOverrides, PlanFeatures, PlanLimits } from './plan-repository';
import { ONE_LINE_TEXT } from '../../core/text/visible-text';
import { hasNoDirectionControls, showsSomething } from '../../core/text/visible-text';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
const MAX_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * A limit as typed: a whole number (bytes may carry a unit: 500MB, 2 GB), `unlimited`, or blank.
 * Blank means unlimited on a plan, and "the plan's value" for a tenant's override.
 */
function limitField(key: LimitKey) {
  const bytes = LIMITS[key].unit === 'bytes';
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | null | undefined => {
      const text = (raw ?? '').trim().toLowerCase();
      if (text === '') return undefined;
      if (text === 'unlimited') return null;
      const match = /^(\d{1,16})\s*([a-z]*)$/.exec(text);
      const unit = match ? UNITS[match[2]] : undefined;
      const value = match && unit !== undefined && (bytes || match[2] === '') ? Number(match[1]) * unit : NaN;
      if (Number.isSafeInteger(value) && value >= 0 && value <= MAX_LIMIT) return value;
      ctx.addIssue({
        code: 'custom',
        message: bytes ? 'must be a whole number of bytes (a unit may follow: KB, MB, GB), or unlimited' : 'must be a whole number, or unlimited',
      });
      return z.NEVER;
    });
}

const FLAG_WORDS: Record<string, boolean> = { on: true, true: true, yes: true, '1': true, off: false, false: false, no: false, '0': false };

function featureField() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean | undefined => {
      const text = (raw ?? '').trim().toLowerCase();
      if (text === '' || text === 'plan') return undefined;
      if (Object.hasOwn(FLAG_WORDS, text)) return FLAG_WORDS[text];
      ctx.addIssue({ code: 'custom', message: 'must be on or off' });
      return z.NEVER;
    });
}

const limitShape = Object.fromEntries(LIMIT_KEYS.map((key) => [`limit_${key}`, limitField(key)])) as Record<`limit_${LimitKey}`, ReturnType<typeof limitField>>;
const featureShape = Object.fromEntries(FEATURE_KEYS.map((key) => [`feature_${key}`, featureField()])) as Record<
  `feature_${FeatureKey}`,
  ReturnType<typeof featureField>
>;

/** Limits and features as form fields (limit_members, feature_api, ...): the pages' and the CLI's shape. */
export const entitlementFieldsSchema = z.object({ ...limitShape, ...featureShape });
type EntitlementFields = z.infer<typeof entitlementFieldsSchema>;

export const planKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'must be 1 to 40 lower-case letters, digits or dashes, starting with a letter or digit' });
export const planNameSchema = z
  .string()
  .trim()
  .max(100, { error: 'must be at most 100 characters' })
  .regex(ONE_LINE_TEXT, { error: 'must not contain control characters' })
  .refine(showsSomething, { error: 'is required' })
  .refine(hasNoDirectionControls, { error: 'must not contain text-direction controls' });

export const planCreateSchema = entitlementFieldsSchema.extend({ key: planKeySchema, name: planNameSchema });
export const planUpdateSchema = entitlementFieldsSchema.extend({ name: planNameSchema.optional() });

/** The limits given (a key left out: not given). */
export function limitsOf(fields: EntitlementFields): LimitOverrides {
  const limits: LimitOverrides = {};
  for (const key of LIMIT_KEYS) {
    const value = fields[`limit_${key}`];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** The features given (a key left out: not given). */
export function featuresOf(fields: EntitlementFields): FeatureOverrides {
  const features: FeatureOverrides = {};
  for (const key of FEATURE_KEYS) {
    const value = fields[`feature_${key}`];
    if (value !== undefined) features[key] = value;
  }
  return features;
}

/** A plan's form: every limit left blank is unlimited, every feature not ticked is off. */
export function completePlanFields(fields: EntitlementFields): { limits: PlanLimits; features: PlanFeatures } {
  const limits = limitsOf(fields);
  const features = featuresOf(fields);
  return {
    limits: Object.fromEntries(LIMIT_KEYS.map((key) => [key, limits[key] ?? null])) as PlanLimits,
    features: Object.fromEntries(FEATURE_KEYS.map((key) => [key, features[key] ?? false])) as PlanFeatures,
  };
}
