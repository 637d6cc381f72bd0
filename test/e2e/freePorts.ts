/**
 * A block of consecutive TCP ports nothing listens on, for the e2e suite's own lab
 * (test/e2e/isolation.ts). Run as a script it prints the first port of such a block: isolation.ts
 * must choose before any other module is evaluated, and a socket cannot be probed synchronously.
 */
import net from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * Where blocks are looked for: high enough to stay clear of the lab's defaults (4040-4100, 7077,
 * 8080-8081, 9093-9094) and of well-known services, below Linux's ephemeral range (32768-60999),
 * where the kernel hands out the client ports and the ports Spark binds to 0.
 */
export const PORT_RANGE = { from: 20_000, to: 32_000 } as const;

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Nothing listens on the port, on any address (0.0.0.0) nor on the loopback (127.0.0.1). */
export async function portFree(port: number): Promise<boolean> {
  return (await canListen(port, '0.0.0.0')) && (await canListen(port, '127.0.0.1'));
}

/** The first port of `size` consecutive free ports, at a random place in PORT_RANGE (so two runs at once rarely collide). */
export async function freePortBlock(size: number, random: () => number = Math.random): Promise<number> {
  const slots = Math.floor((PORT_RANGE.to - PORT_RANGE.from) / size);
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = PORT_RANGE.from + Math.floor(random() * slots) * size;
    let free = true;
    for (let p = base; p < base + size && free; p++) free = await portFree(p);
    if (free) return base;
  }
  throw new Error(`no ${size} consecutive free ports in ${PORT_RANGE.from}-${PORT_RANGE.to} after 100 tries`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${await freePortBlock(Number(process.argv[2]))}\n`);
}
