import { z } from 'zod';
import type { Platform } from '../../app/create-platform';
import { parseInput } from '../../core/http/parse-input';
import { nameSchema } from '../users/password-rules';
import type { AuditClient } from './audit-client';

export const changeNameSchema = z.object({ name: nameSchema });

export async function changeName(platform: Platform, userId: string, input: unknown, client: AuditClient): Promise<void> {
  const { name } = parseInput(changeNameSchema, input);
  const before = platform.users.findById(userId)?.name;
  if (before === name) return;
  await platform.users.update(userId, { name });
  platform.audit.record({ action: 'account.name_change', actorUserId: userId, targetType: 'user', targetId: userId, before: { name: before }, after: { name }, ...client });
}
