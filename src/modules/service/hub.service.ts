import { nowIso } from '../../lib/time.js';
import { bool } from '../../platform/db/dialect.js';
import { inTransaction, type TenantCtx } from '../../platform/db/tenant-ctx.js';
import { AppError, conflict, notFound } from '../../platform/http/errors.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';
import {
  findAction,
  findActionByReturnTracking,
  findInspection,
  findInspectionOfAction,
  type HubInspectionRow,
  type ServiceActionRow,
} from './service-actions.repo.js';
import { type RecommendedAction, reviewRequired } from './service-rules.js';
import { type ActorInfo, applyTransition, SYSTEM } from './service-transition.js';

const RECEIVABLE = new Set(['return_ordered', 'return_in_transit']);

/**
 * A hub agent scans a returned parcel: the action's return is marked received (once — a second scan changes
 * nothing and answers 409 `already_received` with the same context) and an inspection record is opened.
 */
export async function scanReturn(
  ctx: TenantCtx,
  actor: ActorInfo,
  input: { trackingNumber: string; hub: string; agent: string },
): Promise<{ action: ServiceActionRow; inspection: HubInspectionRow; alreadyReceived: boolean }> {
  const tn = input.trackingNumber.trim();
  const found = await findActionByReturnTracking(ctx, tn);
  if (!found) {
    const order = await ctx.db
      .selectFrom('orders')
      .select('id')
      .where('tenant_id', '=', ctx.tenantId)
      .where('tracking_number', '=', tn)
      .executeTakeFirst();
    throw new AppError(
      404,
      order ? 'not_a_service_return' : 'tracking_number_not_found',
      order
        ? `Parcel ${tn} is an order but no service action is waiting for it`
        : `No return with tracking number ${tn}: check the label or scan again`,
    );
  }
  return inTransaction(ctx, async (tx) => {
    const now = nowIso();
    // The unique (tenant, action) index makes concurrent scans create one record.
    await tx.db
      .insertInto('hub_inspections')
      .values({
        tenant_id: tx.tenantId,
        action_id: found.id,
        hub: input.hub,
        agent: input.agent,
        scanned_by: actor.id,
        scanned_at: now,
        review_required: false,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'action_id']).doNothing())
      .execute();
    const action = (await findAction(tx, found.id))!;
    const inspection = (await findInspectionOfAction(tx, found.id))!;
    if (!RECEIVABLE.has(action.status)) return { action, inspection, alreadyReceived: true };
    const moved = await applyTransition(tx, action, 'receive', actor, {
      note: `Scanned at ${input.hub} by ${input.agent}`,
    }).catch((e) => {
      if (e instanceof AppError && e.code === 'concurrent_change') return null;
      throw e;
    });
    return { action: moved ?? (await findAction(tx, found.id))!, inspection, alreadyReceived: moved === null };
  });
}

export interface InspectionInput {
  condition: 'excellent' | 'good' | 'fair' | 'poor' | 'damaged';
  missingParts?: string[];
  visibleDamage?: string;
  functionality: 'working' | 'partially_working' | 'not_working';
  checklist?: Record<string, boolean>;
  qualityScore: number;
  goodQty?: number;
  damagedQty?: number;
  restockLocation?: string;
  recommendedAction: RecommendedAction;
  priority?: 'low' | 'medium' | 'high' | 'urgent';
  estimatedCost?: number;
  estimatedDays?: number;
  notes?: string;
}

/**
 * Records the inspection of a received return and moves the action to `inspected`; when review is required
 * (score ≤ 3, refund or dispose, refund above the threshold) straight on to `review_pending`.
 */
export async function completeInspection(
  ctx: TenantCtx,
  actor: ActorInfo,
  actionId: number,
  input: InspectionInput,
  settings: TenantSettings['service'],
): Promise<{ action: ServiceActionRow; inspection: HubInspectionRow }> {
  return inTransaction(ctx, async (tx) => {
    const action = await findAction(tx, actionId);
    if (!action) throw notFound('service_action');
    if (action.status !== 'return_received') {
      throw conflict(
        'return_not_received',
        action.status === 'requested' || action.status === 'return_ordered' || action.status === 'return_in_transit'
          ? `The return of ${action.number} has not been received yet: scan it first`
          : `Service action ${action.number} is ${action.status}; only a received return can be inspected`,
        { status: action.status },
      );
    }
    // Received by the courier's state (46) without a scan: the inspection record starts here.
    await tx.db
      .insertInto('hub_inspections')
      .values({
        tenant_id: tx.tenantId,
        action_id: action.id,
        hub: 'unscanned',
        agent: 'unscanned',
        scanned_by: null,
        scanned_at: nowIso(),
        review_required: false,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'action_id']).doNothing())
      .execute();
    const inspection = (await findInspectionOfAction(tx, action.id))!;
    const mainCod = action.main_order_id
      ? await tx.db
          .selectFrom('orders')
          .select('cod_minor')
          .where('tenant_id', '=', tx.tenantId)
          .where('id', '=', action.main_order_id)
          .executeTakeFirst()
      : undefined;
    const refundMinor = input.recommendedAction === 'refund' ? Number(mainCod?.cod_minor ?? 0) : null;
    const required = reviewRequired(
      { qualityScore: input.qualityScore, recommendedAction: input.recommendedAction, refundMinor },
      settings,
    );
    const now = nowIso();
    await tx.db
      .updateTable('hub_inspections')
      .set({
        condition: input.condition,
        missing_parts: JSON.stringify(input.missingParts ?? []),
        visible_damage: input.visibleDamage ?? null,
        functionality: input.functionality,
        checklist: JSON.stringify(input.checklist ?? {}),
        quality_score: input.qualityScore,
        good_qty: input.goodQty ?? null,
        damaged_qty: input.damagedQty ?? null,
        restock_location: input.restockLocation ?? null,
        recommended_action: input.recommendedAction,
        priority: input.priority ?? 'medium',
        estimated_cost_minor: input.estimatedCost === undefined ? null : Math.round(input.estimatedCost * 100),
        estimated_days: input.estimatedDays ?? null,
        notes: input.notes ?? null,
        review_required: required,
        inspected_by: actor.id,
        inspected_at: now,
        review_decision: null,
        review_notes: null,
        reviewed_by: null,
        reviewed_at: null,
      })
      .where('tenant_id', '=', tx.tenantId)
      .where('id', '=', inspection.id)
      .execute();
    let moved = await applyTransition(tx, action, 'inspect', actor, {
      note: `Score ${input.qualityScore}/10, recommends ${input.recommendedAction}`,
    });
    if (required) {
      const why =
        input.qualityScore <= 3
          ? `quality score ${input.qualityScore}`
          : input.recommendedAction === 'refund' || input.recommendedAction === 'dispose'
            ? `recommendation ${input.recommendedAction}`
            : 'refund above threshold';
      moved = await applyTransition(tx, moved, 'request_review', SYSTEM, {
        note: `Team-leader review required: ${why}`,
      });
    }
    return { action: moved, inspection: (await findInspection(tx, inspection.id))! };
  });
}

/** Whether an action may be executed now: not while its inspection waits for, or lacks, an approval. */
export function executionBlockedByReview(action: ServiceActionRow, inspection: HubInspectionRow | null): boolean {
  return Boolean(inspection && bool(inspection.review_required) && action.status !== 'approved');
}
