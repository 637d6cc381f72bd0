/**
 * A TCP forwarder between sparktop and one of the live lab's endpoints (the progress listener):
 * it passes bytes both ways untouched, and can go away as a process does. `close()` stops
 * listening and destroys every open connection, so a client's kept-alive socket breaks and its
 * next connection is refused; `reopen()` listens again on the same port. Unlike the garbage proxy
 * (which spoils answers), this makes the endpoint disappear while its process keeps running: the
 * listener lives inside the Spark driver and cannot be killed alone.
 */
import net from 'node:net';

export interface TcpForwarder {
  /** http://127.0.0.1:<port>, the same port across close/reopen. */
  readonly url: string;
  readonly port: number;
  /** Whether it is listening now. */
  readonly open: boolean;
  /** Connections accepted since it started. */
  readonly connections: number;
  /** Stops listening and destroys every connection (both sides): clients get "connection refused". */
  close(): Promise<void>;
  /** Listens again on the same port. */
  reopen(): Promise<void>;
}

export async function startTcpForwarder(upstream: { host: string; port: number }, port = 0): Promise<TcpForwarder> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let boundPort = port;
  let connections = 0;

  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const srv = net.createServer((client) => {
        connections++;
        track(client);
        const up = net.connect(upstream.port, upstream.host);
        track(up);
        // Either side failing ends both, as a dead process would.
        const end = () => {
          client.destroy();
          up.destroy();
        };
        client.on('error', end);
        up.on('error', end);
        client.on('close', end);
        up.on('close', end);
        client.pipe(up);
        up.pipe(client);
      });
      srv.once('error', reject);
      srv.listen(boundPort, '127.0.0.1', () => {
        srv.off('error', reject);
        boundPort = (srv.address() as net.AddressInfo).port;
        server = srv;
        resolve();
      });
    });

  await listen();
  const forwarder: TcpForwarder = {
    get url() {
      return `http://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    get open() {
      return server !== null;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        const srv = server;
        server = null;
        for (const s of sockets) s.destroy();
        sockets.clear();
        if (!srv) return resolve();
        srv.close(() => resolve());
      }),
    reopen: async () => {
      if (server) return;
      await listen();
    },
  };
  return forwarder;
}
