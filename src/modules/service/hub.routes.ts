import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { tenantCtx } from '../../platform/http/auth-hook.js';
import { conflict } from '../../platform/http/errors.js';
import { IdParams } from '../../platform/http/schema.js';
import { actionDto } from './service-actions.dto.js';
import { inspectionDto } from './service-actions.repo.js';
import { actionContext } from './service-context.js';
import { completeInspection, type InspectionInput, scanReturn } from './hub.service.js';
import { InspectionBody, ScanBody } from './service.schemas.js';
import { actorOf, tenantOf } from './service-http.js';

const tags = ['hub'];

/** The hub: scan a returned parcel (barcode scanner friendly) and record its inspection. */
export function hubRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/hub/scan',
    {
      config: { permission: 'hub:operate' },
      schema: {
        tags,
        summary:
          'Scan a return: marks it received (once) and returns the whole context; a second scan answers 409 already_received with the same context',
        body: ScanBody,
      },
    },
    async (request) => {
      const scope = tenantCtx(ctx, request);
      const tenant = await tenantOf(ctx, request);
      const out = await scanReturn(
        scope,
        actorOf(request),
        request.body as { trackingNumber: string; hub: string; agent: string },
      );
      const body = {
        action: actionDto(out.action, tenant.settings.service, actorOf(request).role),
        inspection: inspectionDto(out.inspection),
        context: await actionContext(scope, out.action),
      };
      if (out.alreadyReceived) {
        throw conflict(
          'already_received',
          `Return ${out.action.return_tracking_number} was already scanned (${out.action.status}); nothing changed`,
          body,
        );
      }
      return body;
    },
  );

  app.post(
    '/api/v1/hub/inspections/:id',
    {
      config: { permission: 'hub:operate' },
      schema: {
        tags,
        summary:
          'Record the inspection of a received return; `:id` is the service action (quality 1–10, recommendation)',
        params: IdParams,
        body: InspectionBody,
      },
    },
    async (request) => {
      const tenant = await tenantOf(ctx, request);
      const out = await completeInspection(
        tenantCtx(ctx, request),
        actorOf(request),
        (request.params as { id: number }).id,
        request.body as InspectionInput,
        tenant.settings.service,
      );
      return {
        action: actionDto(out.action, tenant.settings.service, actorOf(request).role),
        inspection: inspectionDto(out.inspection),
      };
    },
  );
}
