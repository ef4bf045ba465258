import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import { insertOrders } from '../../../../test/support/order-fixtures.js';
import { withJsonArray } from '../../../platform/http/json-text.js';
import type { OrderFilter } from '../order-filters.js';
import { ORDER_SORT_NAMES, orderSort } from '../order-sort.js';
import { listOrderJson, listOrders } from '../orders.repo.js';
import { MAIN_PHONE, seedOrderBook } from './order-book.fixture.js';

// Text a hand-written JSON encoder gets wrong: quotes, backslashes, control characters, Arabic, an emoji.
const AWKWARD = 'Om "Ali" \\ back\tslash\nline \u0001 محمد علي 🍳 </script>';

describe.each(testDialects())('orders as JSON built by the database (%s)', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const book = await seedOrderBook(t, 120);
    const [parent] = book.a;
    // Every nullable field filled, fractional and negative money, fractional hours, millisecond timestamps.
    await insertOrders(t.tenantA.ctx, [
      {
        receiver_name: AWKWARD,
        address: AWKWARD,
        package_description: 'خلاط 3 في 1 — "Pro"',
        business_reference: 'BR-1',
        masked_state: 'Delivered',
        second_phone: '+201234567890',
        receiver_phone_raw: '0100 123 4567',
        items_count: 3,
        courier_notes: '',
        payment_method: 'COD',
        exception_reason: 'Customer asked to reschedule',
        exception_code: '7',
        parent_order_id: parent.id,
        local_notes: AWKWARD,
        cod_minor: -123_457,
        fees_minor: 1,
        created_at: '2026-03-01T10:11:12.345Z',
        delivered_at: '2026-03-02T13:31:12.999Z',
        delivery_hours: 27.33,
        returned_at: '2026-03-05T00:00:00.000Z',
        state_changed_at: '2026-03-02T13:31:12.999Z',
      },
      { cod_minor: 0, fees_minor: 0, delivered_at: null, delivery_hours: null, state_code: 24, customer_id: null },
      { cod_minor: 99_999_999, fees_minor: 7_050 },
    ]);
  });
  afterAll(async () => t?.close());

  /** Every page of a listing both ways; the texts must read back as exactly the objects. */
  async function bothWays(filter: OrderFilter, sortName: (typeof ORDER_SORT_NAMES)[number], limit: number) {
    const sort = orderSort(sortName);
    const ctx = t.tenantA.ctx;
    let cursor: string | undefined;
    let pages = 0;
    let seen = 0;
    do {
      const objects = await listOrders(ctx, filter, sort, { limit, cursor });
      const texts = await listOrderJson(ctx, filter, sort, { limit, cursor });
      expect(texts.nextCursor).toBe(objects.nextCursor);
      expect(texts.items.map((j) => JSON.parse(j))).toEqual(objects.items);
      seen += objects.items.length;
      cursor = objects.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    return { pages, seen };
  }

  it('reads back as the same orders, page by page, under every sort', async () => {
    for (const sortName of ORDER_SORT_NAMES) {
      const { pages, seen } = await bothWays({}, sortName, 37);
      expect(seen).toBe(123);
      expect(pages).toBe(4);
    }
  });

  it('reads back the same through the selective path (a phone) and with other filters', async () => {
    const byPhone = await bothWays({ phone: MAIN_PHONE }, '-createdAt', 5);
    expect(byPhone.seen).toBeGreaterThan(5);
    const delivered = await bothWays({ stateCodes: [45] }, '-deliveredAt', 10);
    expect(delivered.seen).toBeGreaterThan(10);
  });

  it('keeps awkward text and money exact, and the page text is valid JSON', async () => {
    const page = await listOrderJson(t.tenantA.ctx, {}, orderSort('cod'), { limit: 2 });
    const body = JSON.parse(
      withJsonArray(JSON.stringify({ nextCursor: page.nextCursor, total: 123 }), 'items', page.items),
    );
    expect(body.total).toBe(123);
    expect(body.nextCursor).toBe(page.nextCursor);
    const [awkward] = body.items;
    expect(awkward).toMatchObject({
      receiverName: AWKWARD,
      address: AWKWARD,
      localNotes: AWKWARD,
      cod: -1234.57,
      fees: 0.01,
      deliveryHours: 27.33,
      createdAt: '2026-03-01T10:11:12.345Z',
      deliveredAt: '2026-03-02T13:31:12.999Z',
      courierNotes: '',
    });
    expect(withJsonArray('{}', 'items', [])).toBe('{"items":[]}');
    expect(JSON.parse(withJsonArray('{"a":1}', 'lastOrders', page.items))).toEqual({ a: 1, lastOrders: body.items });
    expect(JSON.parse(withJsonArray('{}', 'k', ['1', '"x"']))).toEqual({ k: [1, 'x'] });
  });
});
