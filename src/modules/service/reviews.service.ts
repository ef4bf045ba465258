import { nowIso } from '../../lib/time.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import {
  findAction,
  findInspection,
  findInspectionOfAction,
  type HubInspectionRow,
  type ServiceActionRow,
} from './service-actions.repo.js';
import { type ActorInfo, applyTransition } from './service-transition.js';

export type ReviewDecision = 'approved' | 'rejected' | 'requires_changes';

const EVENT = { approved: 'approve', rejected: 'reject', requires_changes: 'request_changes' } as const;

/** The team leader's queue: inspections whose action waits for review, oldest first. */
export async function reviewQueue(ctx: TenantCtx, limit: number) {
  return ctx.db
    .selectFrom('service_actions as a')
    .innerJoin('hub_inspections as i', (j) =>
      j.onRef('i.action_id', '=', 'a.id').onRef('i.tenant_id', '=', 'a.tenant_id'),
    )
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select([
      'i.id as inspectionId',
      'a.id as actionId',
      'a.number',
      'a.type',
      'a.reason',
      'a.status_changed_at as waitingSince',
      'i.quality_score as qualityScore',
      'i.recommended_action as recommendedAction',
      'i.condition',
      'i.notes',
      'c.name as customerName',
      'c.phone as customerPhone',
    ])
    .where('a.tenant_id', '=', ctx.tenantId)
    .where('a.status', '=', 'review_pending')
    .orderBy('a.status_changed_at', 'asc')
    .orderBy('a.id', 'asc')
    .limit(limit)
    .execute();
}

/** A team leader's decision on an inspection: approve, reject, or send it back to the hub for changes. */
export async function decideReview(
  ctx: TenantCtx,
  actor: ActorInfo,
  actionId: number,
  input: { decision: ReviewDecision; notes?: string },
): Promise<{ action: ServiceActionRow; inspection: HubInspectionRow }> {
  return inTransaction(ctx, async (tx) => {
    const action = await findAction(tx, actionId);
    if (!action) throw notFound('service_action');
    const inspection = await findInspectionOfAction(tx, actionId);
    if (action.status !== 'review_pending' || !inspection) {
      throw conflict(
        'review_not_pending',
        `Service action ${action.number} is ${action.status}, not waiting for review`,
        { status: action.status },
      );
    }
    const moved = await applyTransition(tx, action, EVENT[input.decision], actor, { note: input.notes ?? null });
    await tx.db
      .updateTable('hub_inspections')
      .set({
        review_decision: input.decision,
        review_notes: input.notes ?? null,
        reviewed_by: actor.id,
        reviewed_at: nowIso(),
      })
      .where('tenant_id', '=', tx.tenantId)
      .where('id', '=', inspection.id)
      .execute();
    return { action: moved, inspection: (await findInspection(tx, inspection.id))! };
  });
}
