// Moderation and the admin area (api/src/moderation, api/src/admin): reports, users, the audit log.
import { Type } from 'typebox';

export const ReportTargetType = Type.Union([
  Type.Literal('mentor_profile'),
  Type.Literal('candidate_profile'),
  Type.Literal('mentor_review'),
  Type.Literal('recruiter_feedback'),
  Type.Literal('share_link'),
  Type.Literal('user'),
]);
export const ReportAction = Type.Union([Type.Literal('hide'), Type.Literal('warn'), Type.Literal('suspend'), Type.Literal('dismiss')]);

export const ModerationReportInput = Type.Object(
  {
    targetType: ReportTargetType,
    targetId: Type.String({ format: 'uuid' }),
    reason: Type.Union([Type.Literal('spam'), Type.Literal('harassment'), Type.Literal('inappropriate'), Type.Literal('fake'), Type.Literal('privacy'), Type.Literal('other')]),
    details: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const ModerationReportOut = Type.Object({
  id: Type.String(),
  targetType: Type.String(),
  targetId: Type.String(),
  reason: Type.String(),
  details: Type.String(),
  status: Type.String(),
  action: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  handledAt: Type.Union([Type.String(), Type.Null()]),
});
const Person = Type.Union([Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }), Type.Null()]);
export const AdminReport = Type.Intersect([ModerationReportOut, Type.Object({ reporter: Person, subject: Person })]);
export const ReportDecision = Type.Object({ action: ReportAction, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

export const AdminUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  plan: Type.String(),
  subscriptionStatus: Type.Union([Type.String(), Type.Null()]),
  suspendedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export const AdminUserQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 254 })), role: Type.Optional(Type.String({ maxLength: 20 })), before: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);

export const AuditEntry = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorEmail: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.String(),
  ipAddress: Type.String(),
  userAgent: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export const AuditQuery = Type.Object(
  {
    /** An exact action, or a prefix ending in "." (`share.`, `admin.`). */
    action: Type.Optional(Type.String({ maxLength: 60, pattern: '^[a-z_.]+$' })),
    actorId: Type.Optional(Type.String({ format: 'uuid' })),
    targetId: Type.Optional(Type.String({ maxLength: 64 })),
    before: Type.Optional(Type.String({ format: 'uuid' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
