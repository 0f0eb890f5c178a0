/**
 * The console's audit log (API.md "The operator's console"): one row per admin action, written by the
 * action's own transaction (pass its executor), so an action and its record commit or fail together.
 */
import type { AdminAction } from '@metagameplay/protocol';
import type { Executor } from '../../db/client';
import { adminAuditLog } from '../../db/schema';

export interface AuditEntryInput {
  adminId: string;
  action: AdminAction;
  playerId?: string | null;
  itemId?: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Records one admin action; returns the entry's id. */
export async function insertAuditEntry(db: Executor, entry: AuditEntryInput): Promise<number> {
  const [row] = await db
    .insert(adminAuditLog)
    .values({
      adminId: entry.adminId,
      action: entry.action,
      playerId: entry.playerId ?? null,
      itemId: entry.itemId ?? null,
      reason: entry.reason ?? null,
      details: entry.details ?? {},
    })
    .returning({ id: adminAuditLog.id });
  if (!row) throw new Error('audit entry not written');
  return row.id;
}
