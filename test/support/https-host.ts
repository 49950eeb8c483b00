import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEV_KEYS } from './fixtures';

export interface RecordingHttpsHost {
  host: string;
  requests: string[];
  close(): Promise<void>;
}

/** An https server on 127.0.0.1 with the test CA's certificate, answering from a route table. */
export async function startHttpsHost(
  routes: Record<string, (res: import('node:http').ServerResponse) => void>,
): Promise<RecordingHttpsHost> {
  const requests: string[] = [];
  const server = https.createServer({ key: DEV_KEYS.localhostKey, cert: DEV_KEYS.localhostCert }, (req, res) => {
    requests.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
