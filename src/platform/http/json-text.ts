import type { FastifyReply } from 'fastify';

/**
 * Adds `key: [...items]` to the JSON text of an object, each item already a JSON text (built by the database):
 * the items are joined as they are. They come from our own queries, never from a client.
 */
export function withJsonArray(objectText: string, key: string, items: readonly string[]): string {
  const head = objectText.slice(0, -1);
  return `${head}${head === '{' ? '' : ','}${JSON.stringify(key)}:[${items.join(',')}]}`;
}

/** Sends a JSON text as it is: Fastify skips the response serializer for a string with a JSON content type. */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(text);
}
