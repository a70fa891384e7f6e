/**
 * `teletel drain [--data DIR] [--port N]`: the admin side of a restart. It
 * finds the `teletel serve` running on the data folder (instances/ there,
 * written by serve), asks it to stop as SIGTERM does (it stops accepting,
 * hands every resumable session over through the database and tells each
 * client to come back, within shutdownGraceMs), and waits until the process
 * has gone, so a deploy script can start the next step when it returns.
 */
import { resolve } from 'node:path';
import { DEFAULTS } from '../../server/config.js';
import { CliError, EXIT, type Command } from '../command.js';
import { isAlive, liveInstances, type InstanceRecord } from '../instances/instance-files.js';

const DEFAULT_TIMEOUT_S = 60;
const POLL_MS = 100;

export const drainCommand: Command = {
  name: 'drain',
  summary: 'stop a running teletel serve gracefully: its sessions are handed over, then it exits',
  help: `Usage: teletel drain [--data DIR] [--port N] [--timeout S]

Stops the 'teletel serve' running on the data folder DIR (default ${DEFAULTS.data})
as SIGTERM does: it accepts no new connection, writes every session whose
client can come back to the database and tells the client to reconnect (the
emulator lands on another instance behind the load balancer, or on this one
restarted; a Minitel on TCP or serial is shown its resume code), then exits.
Waits until the process has gone, at most S seconds (default ${DEFAULT_TIMEOUT_S}).

  --data DIR     the data folder the instance was started with
  --port N       its HTTP port, when several instances share the data folder
  --timeout S    seconds to wait for it to exit (exit code 1 past them)
`,
  options: { data: { type: 'string' }, port: { type: 'string' }, timeout: { type: 'string' } },
  positionals: [0, 0],
  async run(args, io) {
    const dataDir = resolve(io.cwd, typeof args.values.data === 'string' ? args.values.data : DEFAULTS.data);
    const timeoutS = args.values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(args.values.timeout);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new CliError('--timeout must be a number of seconds above 0', EXIT.USAGE);
    const instance = chooseInstance(dataDir, liveInstances(dataDir), args.values.port);
    io.stdout.write(`draining teletel serve (pid ${instance.pid}, port ${instance.port})…\n`);
    const started = Date.now();
    try {
      process.kill(instance.pid, 'SIGTERM');
    } catch (error) {
      throw new CliError(`cannot signal process ${instance.pid}: ${(error as Error).message}`, EXIT.FAILURE);
    }
    while (isAlive(instance.pid)) {
      if (Date.now() - started > timeoutS * 1000) {
        throw new CliError(`process ${instance.pid} is still running after ${timeoutS} s (its sessions may still be handing over); run again or stop it yourself`, EXIT.FAILURE);
      }
      await new Promise((done) => setTimeout(done, POLL_MS));
    }
    io.stdout.write(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s; its sessions were handed over (see its log: "sessions handed over")\n`);
    return EXIT.OK;
  },
};

function chooseInstance(dataDir: string, live: InstanceRecord[], port: unknown): InstanceRecord {
  if (typeof port === 'string') {
    const found = live.find((instance) => String(instance.port) === port);
    if (found === undefined) throw new CliError(`no teletel serve on port ${port} with the data folder ${dataDir}`, EXIT.FAILURE);
    return found;
  }
  if (live.length === 0) throw new CliError(`no teletel serve is running with the data folder ${dataDir} (give --data DIR as for serve)`, EXIT.FAILURE);
  if (live.length > 1) {
    throw new CliError(`several teletel serve run with the data folder ${dataDir} (ports ${live.map((i) => i.port).join(', ')}): give --port N`, EXIT.USAGE);
  }
  return live[0];
}
