import http from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

/** One request as a provider's API received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: Buffer;
  json?: any;
  form?: URLSearchParams;
  parts?: Array<{ name: string; value?: string; filename?: string; contentType?: string; data?: Buffer }>;
}

export interface FakeAnswer {
  status: number;
  json?: unknown;
  /** Do the work, then drop the connection without answering (the "did it land?" case). */
  drop?: boolean;
  delayMs?: number;
  /** Extra response headers (Retry-After, Link). */
  headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest, params: Record<string, string>) => FakeAnswer | Promise<FakeAnswer>;
export type Route = [method: string, pattern: string, handler: Handler];

interface Scripted {
  method: string;
  pattern: RegExp;
  answers: FakeAnswer[];
}

function compile(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
}

async function parseBody(req: http.IncomingMessage, raw: Buffer): Promise<Partial<RecordedRequest>> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json') && raw.length) return { json: JSON.parse(raw.toString('utf8')) };
  if (type.includes('application/x-www-form-urlencoded')) return { form: new URLSearchParams(raw.toString('utf8')) };
  if (type.includes('multipart/form-data')) {
    const parts: NonNullable<RecordedRequest['parts']> = [];
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: req.headers });
      parser.on('field', (name, value) => parts.push({ name, value }));
      parser.on('file', (name, stream, info) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => parts.push({ name, filename: info.filename, contentType: info.mimeType, data: Buffer.concat(chunks) }));
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      parser.end(raw);
    });
    return { parts };
  }
  return {};
}

/**
 * A provider API on 127.0.0.1:0 that records every request, answers from a route table, and
 * can be scripted to fail: the next calls to a route get the scripted answers first.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler }>;
  private readonly scripted: Scripted[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(routes: Route[], private readonly notFound: (r: RecordedRequest) => FakeAnswer = () => ({ status: 404, json: { error: 'not found' } })) {
    this.routes = routes.map(([method, pattern, handler]) => ({ method, pattern: compile(pattern), handler }));
  }

  /** The next calls of `method pattern` get these answers, in order, before the route's own. */
  script(method: string, pattern: string, ...answers: FakeAnswer[]): void {
    this.scripted.push({ method, pattern: compile(pattern), answers });
  }

  calls(method: string, pattern: string): RecordedRequest[] {
    const regex = compile(pattern);
    return this.requests.filter((r) => r.method === method && regex.test(r.path));
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks)).then(
          (answer) => {
            const send = () => {
              if (answer.drop) return res.socket?.destroy();
              res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.json === undefined ? '' : JSON.stringify(answer.json));
            };
            if (answer.delayMs) setTimeout(send, answer.delayMs);
            else send();
          },
          (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  private async handle(req: http.IncomingMessage, raw: Buffer): Promise<FakeAnswer> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody: raw,
      ...(await parseBody(req, raw)),
    };
    this.requests.push(recorded);
    const script = this.scripted.find((s) => s.method === recorded.method && s.pattern.test(recorded.path) && s.answers.length > 0);
    const route = this.routes.find((r) => r.method === recorded.method && r.pattern.test(recorded.path));
    if (script) {
      const answer = script.answers.shift()!;
      // A dropped connection happens after the work was done: run the route, then drop.
      if (answer.drop && route) await route.handler(recorded, route.pattern.exec(recorded.path)!.groups ?? {});
      return answer;
    }
    if (!route) return this.notFound(recorded);
    return route.handler(recorded, route.pattern.exec(recorded.path)!.groups ?? {});
  }
}
