/**
 * Event type names and the patterns subscribers filter them with. Types are dotted lower-case names
 * (`order.created`, `service_action.status_changed`); a pattern is `*` (everything), an exact type, or a
 * prefix ending in `.*` (`order.*` matches `order.created` and `order.items.changed`, not `orders.x`).
 */

const SEGMENT = '[a-z][a-z0-9_]*';

/** An event type: one or more dotted segments, no wildcards. */
export const EVENT_TYPE_REGEX = new RegExp(`^${SEGMENT}(\\.${SEGMENT})*$`);

/** A subscription pattern, as a JSON-schema-compatible regular expression (used by the request schemas too). */
export const EVENT_PATTERN_SOURCE = `^(\\*|${SEGMENT}(\\.${SEGMENT})*(\\.\\*)?)$`;
const EVENT_PATTERN_REGEX = new RegExp(EVENT_PATTERN_SOURCE);

export const MAX_EVENT_TYPE_LENGTH = 100;

/** Whether a string is a valid event type name (what `emit` accepts). */
export function validEventType(type: string): boolean {
  return type.length <= MAX_EVENT_TYPE_LENGTH && EVENT_TYPE_REGEX.test(type);
}

/** Whether a string is a valid subscription pattern: `*`, an exact type, or `prefix.*`. */
export function validEventPattern(pattern: string): boolean {
  return pattern.length <= MAX_EVENT_TYPE_LENGTH && EVENT_PATTERN_REGEX.test(pattern);
}

/** Whether `type` is selected by `pattern`. */
export function matchesEventType(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether any of the patterns selects `type`. */
export function matchesAnyEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => matchesEventType(p, type));
}
