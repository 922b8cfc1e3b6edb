import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { nameSchema } from '../users/password-rules';
import type { Client as AuditClient } from '../../core/http/client-of';

export const changeNameSchema = z.object({ name: nameSchema });

export function changeName(platform: ControlPlane, userId: string, input: unknown, client: AuditClient): void {
  const { name } = parseInput(changeNameSchema, input);
  const before = platform.users.findById(userId)?.name;
  if (before === name) return;
  platform.db.write(() => {
    platform.users.update(userId, { name });
    platform.audit.record({
      action: 'account.name_change',
      actorUserId: userId,
      targetType: 'user',
      targetId: userId,
      before: { name: before },
      after: { name },
      ...client,
    });
  });
}
