import { z } from 'zod';

export const itemInputSchema = z.object({
  title: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  body: z.string().max(20000, { error: 'must be at most 20000 characters' }).default(''),
});

/** Ids in URLs: positive integers only; anything else is simply not found. */
export const itemIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const pageSchema = z.coerce.number().int().min(1).max(100000).catch(1);
