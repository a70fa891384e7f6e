import { describe, expect, it } from 'vitest';
import { fakeIo, tempFolder } from '../../test-support/fake-io.js';
import { parseCommandArgs } from '../command.js';
import { createServeCommand } from './serve.js';
import { serveBanner } from './serve-banner.js';

describe('the line serve prints for a person', () => {
  it('says where to point a browser and a Minitel, and how to stop', () => {
    expect(serveBanner({ host: '0.0.0.0', port: 3615, tcpPort: 3616, serial: null })).toBe(
      'Teletel is running: open http://localhost:3615 in a browser; Minitels and telnet on port 3616 (try: npx teletel connect localhost:3616). Ctrl-C stops it.\n',
    );
    expect(serveBanner({ host: '::1', port: 80, tcpPort: null, serial: '/dev/ttyUSB0' })).toBe(
      'Teletel is running: open http://[::1]:80 in a browser; a Minitel on /dev/ttyUSB0. Ctrl-C stops it.\n',
    );
  });

  async function serveOnce(tty: boolean): Promise<string> {
    const io = fakeIo({ cwd: tempFolder() });
    (io.stderr as { isTTY?: boolean }).isTTY = tty;
    let stop: (signal: string) => void = () => {};
    const command = createServeCommand({
      services: async () => [],
      stopSignal: () => new Promise<string>((resolve) => (stop = resolve)),
      onListening: () => setImmediate(() => stop('test')),
    });
    const args = parseCommandArgs(command, ['--port=0', '--tcp-port=0', '--host=127.0.0.1', `--data=${io.cwd}/data`]);
    expect(await command.run(args, io)).toBe(0);
    return io.stderrText();
  }

  it('is printed on a terminal, with the ports really listened on', async () => {
    expect(await serveOnce(true)).toMatch(/^Teletel is running: open http:\/\/127\.0\.0\.1:\d+ in a browser; Minitels and telnet on port \d+/);
  });

  it('is not printed when nobody watches (a service manager, a pipe): the JSON log is enough', async () => {
    expect(await serveOnce(false)).toBe('');
  });
});
