/** The soak's PostgreSQL proxy as a child process: `fork`ed by PgProxyProcess, driven over IPC. */
import { PgProxy } from './pg-proxy.js';

const [host, port] = process.argv.slice(2);
const proxy = new PgProxy({ host, port: Number(port) });
const listening = await proxy.listen();
process.send?.({ port: listening });
process.on('message', (message: { cut?: number }) => {
  if (typeof message.cut === 'number') void proxy.cut(message.cut).then(() => process.send?.({ cut: true }));
});
process.on('disconnect', () => void proxy.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
