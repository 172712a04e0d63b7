/** /metrics, /healthz (the process answers) and /readyz (caches synced and watches connected). */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthSources {
  /** Served together: the agent's own and the process-wide one the host clients register on. */
  registries: Registry[];
  ready: () => { ready: boolean; detail: string };
}

export async function startHealthServer(addr: string, s: HealthSources): Promise<Server> {
  const i = addr.lastIndexOf(':');
  const host = i > 0 ? addr.slice(0, i) : '0.0.0.0';
  const port = Number(addr.slice(i + 1));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      Promise.all(s.registries.map((r) => r.metrics())).then(
        (texts) => {
          res.writeHead(200, { 'Content-Type': s.registries[0]?.contentType ?? 'text/plain' });
          res.end(texts.filter(Boolean).join('\n'));
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok\n');
    } else if (path === '/readyz') {
      const r = s.ready();
      res.writeHead(r.ready ? 200 : 503, { 'Content-Type': 'text/plain' });
      res.end(`${r.detail}\n`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
