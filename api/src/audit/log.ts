// The audit log: every privileged action (an admin's, a role change, a refund, a moderation
// decision) and every view of something shared, with who, what, when and from where. Rows are
// only ever added: the table's trigger refuses UPDATE, DELETE and TRUNCATE, and there is no
// foreign key to users, so the trail outlives the accounts it names.
import type { FastifyRequest } from 'fastify';
import type { PrismaClient } from '@rehearse/db';

export interface AuditEntry {
  /** A dotted verb: `share.view`, `admin.role.grant`, `moderation.suspend`, … */
  action: string;
  targetType?: string;
  targetId?: string;
  /** What else an investigator needs; never secrets (tokens, passwords, card data). */
  details?: Record<string, unknown>;
}

/** Who and from where, as the request shows it (a job has no request: pass null). */
export function actorOf(request: Pick<FastifyRequest, 'session' | 'ip' | 'headers'> | null) {
  return {
    actorId: request?.session?.user.id ?? null,
    actorEmail: request?.session?.user.email ?? '',
    ipAddress: request?.ip ?? '',
    userAgent: String(request?.headers['user-agent'] ?? '').slice(0, 300),
  };
}

export async function audit(db: Pick<PrismaClient, 'auditLog'>, request: Pick<FastifyRequest, 'session' | 'ip' | 'headers'> | null, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: { ...actorOf(request), action: entry.action, targetType: entry.targetType ?? '', targetId: entry.targetId ?? '', details: (entry.details ?? {}) as object },
  });
}

export interface AuditQuery {
  action?: string;
  actorId?: string;
  targetId?: string;
  /** Entries before this id (ids are UUIDv7: they sort by time). */
  before?: string;
  limit?: number;
}

export async function auditEntries(db: PrismaClient, { action, actorId, targetId, before, limit = 100 }: AuditQuery) {
  const rows = await db.auditLog.findMany({
    where: {
      ...(action ? { action: action.endsWith('.') ? { startsWith: action } : action } : {}),
      ...(actorId ? { actorId } : {}),
      ...(targetId ? { targetId } : {}),
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit,
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), details: r.details as Record<string, unknown> }));
}

/** One CSV field: quoted, with formulas defused (a spreadsheet must not run `=HYPERLINK(…)` from a user agent). */
export function csvField(value: unknown): string {
  let text = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export const AUDIT_CSV_COLUMNS = ['id', 'createdAt', 'actorId', 'actorEmail', 'action', 'targetType', 'targetId', 'ipAddress', 'userAgent', 'details'] as const;
