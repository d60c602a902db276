// API keys: create (shown once), list, revoke, and authenticate a presented `ocp_…` key.
import type { Db } from '../../db/client.js';
import { AppError, notFound, unauthorized } from '../../http/errors.js';
import { isUuid } from '../../streams/ids.js';
import { displayPrefix, keyMatches, newApiKey, parseApiKey } from './key-format.js';
import { ACCOUNT_DISABLED, ACCOUNT_DISABLED_MESSAGE, accountRefusal } from '../sessions/rules.js';
import { isApiScope, normalizeScopes, type ApiScope } from './scopes.js';
import type { ApiKeyDto } from './schemas.js';

/** Active (not revoked) keys one account may hold. */
export const MAX_ACTIVE_KEYS = 50;
/** `lastUsedAt` is written at most this often per key (per replica, and in SQL across replicas). */
export const LAST_USED_INTERVAL_MS = 60_000;

export interface ApiKeyPrincipal {
  keyId: string;
  userId: string;
  scopes: ApiScope[];
}

interface Row {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const toDto = (k: Row): ApiKeyDto => ({
  id: k.id,
  name: k.name,
  prefix: displayPrefix(k.id),
  scopes: k.scopes.filter(isApiScope),
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export class ApiKeyService {
  /** keyId → when this process last wrote its lastUsedAt. */
  private readonly touched = new Map<string, number>();

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async create(userId: string, input: { name: string; scopes: ApiScope[] }): Promise<{ apiKey: ApiKeyDto; key: string }> {
    const active = await this.db.apiKey.count({ where: { ownerId: userId, revokedAt: null } });
    if (active >= MAX_ACTIVE_KEYS) throw new AppError(409, 'api_key_limit', `An account can hold at most ${MAX_ACTIVE_KEYS} active API keys; revoke one first`);
    const { id, key, keyHash } = newApiKey();
    const row = await this.db.apiKey.create({ data: { id, ownerId: userId, name: input.name, scopes: normalizeScopes(input.scopes), keyHash } });
    return { apiKey: toDto(row), key };
  }

  async list(userId: string): Promise<ApiKeyDto[]> {
    const rows = await this.db.apiKey.findMany({ where: { ownerId: userId }, orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }], take: 500 });
    return rows.map(toDto);
  }

  /** Revokes one of the user's keys; revoking a revoked key again changes nothing. */
  async revoke(userId: string, id: string): Promise<void> {
    const row = isUuid(id) ? await this.db.apiKey.findUnique({ where: { id }, select: { ownerId: true, revokedAt: true } }) : null;
    if (!row || row.ownerId !== userId) throw notFound('API key');
    if (!row.revokedAt) await this.db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(this.now()) } });
    this.touched.delete(id);
  }

  /** The principal behind a presented `ocp_…` key; 401 for a malformed, unknown, wrong or revoked key, or an owner who may not act. */
  async authenticate(presented: string): Promise<ApiKeyPrincipal> {
    const parsed = parseApiKey(presented);
    if (!parsed) throw unauthorized('Invalid API key');
    const row = await this.db.apiKey.findUnique({ where: { id: parsed.id }, select: { id: true, ownerId: true, scopes: true, keyHash: true, revokedAt: true, owner: { select: { role: true, disabledAt: true } } } });
    if (!row || !keyMatches(presented, row.keyHash)) throw unauthorized('Invalid API key');
    if (row.revokedAt) throw unauthorized('This API key has been revoked');
    // The owner's account as it is now (a deleted owner's keys are gone with it, by cascade).
    const refusal = accountRefusal(row.owner);
    if (refusal === 'disabled') throw unauthorized(ACCOUNT_DISABLED_MESSAGE, ACCOUNT_DISABLED);
    if (refusal) throw unauthorized('Invalid API key');
    await this.touch(row.id);
    return { keyId: row.id, userId: row.ownerId, scopes: row.scopes.filter(isApiScope) };
  }

  /**
   * Records use, throttled: skipped when this process wrote it within the interval, and the SQL
   * only writes when the stored time is older than the interval (other replicas).
   */
  private async touch(id: string): Promise<void> {
    const now = this.now();
    const last = this.touched.get(id);
    if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
    if (this.touched.size >= 10_000) this.touched.clear();
    this.touched.set(id, now);
    const at = new Date(now);
    await this.db.apiKey.updateMany({
      where: { id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - LAST_USED_INTERVAL_MS) } }] },
      data: { lastUsedAt: at },
    });
  }
}
