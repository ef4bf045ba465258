import type { FastifyReply } from 'fastify';

/**
 * The JSON text of `{ items: [...], ...rest }` where each item is already a JSON text (built by the database):
 * the items are joined as they are, the rest serialized. Items must be whole JSON values; they come from our
 * own queries, never from a client.
 */
export function itemsJsonText(items: readonly string[], rest: Record<string, unknown>): string {
  const tail = JSON.stringify(rest);
  return `{"items":[${items.join(',')}]${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/** Adds `key: [...items]` (each item a JSON text) to the JSON text of an object. */
export function withJsonArray(objectText: string, key: string, items: readonly string[]): string {
  const head = objectText.slice(0, -1);
  return `${head}${head === '{' ? '' : ','}${JSON.stringify(key)}:[${items.join(',')}]}`;
}

/** Sends a JSON text as it is: Fastify skips the response serializer for a string with a JSON content type. */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
