import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { nameSchema } from '../users/password-rules';
import type { Client as AuditClient } from '../../core/http/client-of';
import { updateOwnAccount } from './update-own-account';

export const changeNameSchema = z.object({ name: nameSchema });

export function changeName(platform: ControlPlane, userId: string, input: unknown, client: AuditClient): void {
  const { name } = parseInput(changeNameSchema, input);
  updateOwnAccount(platform, userId, { field: 'name', value: name, action: 'account.name_change', auditKey: 'name' }, client);
}
