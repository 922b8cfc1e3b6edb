export interface UserRecord {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_super_admin: number;
  status: string;
  default_tenant_id: string | null;
  last_tenant_id: string | null;
  /** The person's own language; null: each workspace's. */
  language: string | null;
  created_at: number;
  updated_at: number;
}

import type { SessionUser } from '../../core/http/request-types';
import { isLanguage } from '../../core/i18n/languages';

export type { SessionUser };

export function toSessionUser(user: Pick<UserRecord, 'id' | 'email' | 'name' | 'is_super_admin' | 'language'>): SessionUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isSuperAdmin: Boolean(user.is_super_admin),
    language: isLanguage(user.language) ? user.language : null,
  };
}
