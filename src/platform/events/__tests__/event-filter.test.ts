import { describe, expect, it } from 'vitest';
import { matchesAnyEventType, matchesEventType, validEventPattern, validEventType } from '../event-filter.js';

describe('matchesEventType', () => {
  it('* matches every type', () => {
    expect(matchesEventType('*', 'order.created')).toBe(true);
    expect(matchesEventType('*', 'service_action.status_changed')).toBe(true);
  });
  it('prefix.* matches the types under that prefix, at any depth, and nothing else', () => {
    expect(matchesEventType('order.*', 'order.created')).toBe(true);
    expect(matchesEventType('order.*', 'order.items.changed')).toBe(true);
    expect(matchesEventType('order.*', 'orders.created')).toBe(false);
    expect(matchesEventType('order.*', 'order')).toBe(false);
    expect(matchesEventType('order.*', 'service_action.status_changed')).toBe(false);
    expect(matchesEventType('order.items.*', 'order.items.changed')).toBe(true);
    expect(matchesEventType('order.items.*', 'order.created')).toBe(false);
  });
  it('an exact pattern matches only that type', () => {
    expect(matchesEventType('order.created', 'order.created')).toBe(true);
    expect(matchesEventType('order.created', 'order.created_again')).toBe(false);
    expect(matchesEventType('order.created', 'order.state_changed')).toBe(false);
  });
  it('any of several patterns', () => {
    expect(matchesAnyEventType(['inventory.low', 'order.*'], 'order.state_changed')).toBe(true);
    expect(matchesAnyEventType(['inventory.low', 'order.*'], 'loyalty.points_earned')).toBe(false);
    expect(matchesAnyEventType([], 'order.created')).toBe(false);
  });
});

describe('validEventPattern / validEventType', () => {
  it.each(['*', 'order.*', 'order.created', 'service_action.status_changed', 'a.b.c.*', 'inventory.low'])(
    'accepts %s',
    (p) => {
      expect(validEventPattern(p)).toBe(true);
    },
  );
  it.each([
    '',
    '**',
    'order*',
    'order.',
    '.order',
    'Order.created',
    'order..created',
    '*.created',
    'order.*.x',
    'order created',
    'order.*,x',
    'x'.repeat(101),
  ])('rejects %j', (p) => {
    expect(validEventPattern(p)).toBe(false);
  });
  it('an event type never holds a wildcard', () => {
    expect(validEventType('order.created')).toBe(true);
    expect(validEventType('order.*')).toBe(false);
    expect(validEventType('*')).toBe(false);
  });
});
