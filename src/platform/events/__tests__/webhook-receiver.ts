import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (to make two senders overlap). */
  delayMs?: number;
}

/** Decides the answer to the n-th request (0-based). */
export type Responder = (n: number, req: ReceivedWebhook) => ReceiverReply;

/** A real HTTP endpoint on 127.0.0.1 that records what it receives: the other side of a webhook. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  responder: Responder;
  readonly #server: Server;

  private constructor(server: Server, responder: Responder) {
    this.#server = server;
    this.responder = responder;
  }

  static async start(responder: Responder = () => ({ status: 200, body: 'ok' })): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, responder);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const n = receiver.received.length;
        receiver.received.push(got);
        const reply = receiver.responder(n, got);
        const send = () => {
          res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
          res.end(reply.body ?? '');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
