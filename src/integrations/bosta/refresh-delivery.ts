import { nowIso } from '../../lib/time.js';
import type { AppContext } from '../../platform/context.js';
import { inTransaction } from '../../platform/db/tenant-ctx.js';
import { ingestOrders } from '../../flows/ingest-orders.js';
import { findTenantById } from '../../modules/tenants/tenants.repo.js';
import { clientFor, requireBostaConnection } from './connection.js';
import { BostaNotFoundError } from './errors.js';
import { mapDelivery } from './mapper.js';
import { deliveryToOrderInput } from './to-order-input.js';

/** Fetches one delivery's full document and ingests it (after a webhook, or for an unknown tracking number). */
export async function refreshDelivery(app: AppContext, tenantId: number, trackingNumber: string): Promise<boolean> {
  const ctx = { tenantId, db: app.database.db, dialect: app.database.dialect };
  const tenant = await findTenantById(app.database.db, tenantId);
  if (!tenant) return false;
  const client = clientFor(app, await requireBostaConnection(app, ctx));
  try {
    const d = await client.getDelivery(trackingNumber);
    const now = nowIso();
    await inTransaction(ctx, (tx) =>
      ingestOrders(tx, tenant, [deliveryToOrderInput(mapDelivery(d), now)], { source: 'bosta', now, via: 'sync' }),
    );
    return true;
  } catch (e) {
    if (e instanceof BostaNotFoundError) return false;
    throw e;
  } finally {
    await client.close();
  }
}
