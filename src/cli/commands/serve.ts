/**
 * `teletel serve`: runs the gateway until SIGTERM or SIGINT (or `teletel
 * drain`, which finds it through DATA/instances/), then stops gracefully
 * (sessions handed over or a goodbye on row 0, sockets closed, store
 * closed). `npm start` runs it with the defaults.
 */
import { pino, type Logger } from 'pino';
import type { Service } from '../../sdk/service.js';
import { builtInServices } from '../../services/index.js';
import type { Bus } from '../../store/bus.js';
import { openStorage, type Storage } from '../../store/index.js';
import { DEFAULTS, loadConfig, type ServerConfig } from '../../server/config.js';
import { ConfigError, ServerError } from '../../server/errors.js';
import { Gateway } from '../../server/gateway.js';
import { DEFAULT_LIMITS } from '../../server/limits.js';
import { ServiceFolders, watchServiceFolders, type ServiceFolderWatcher } from '../../server/service-folders.js';
import { serviceModuleImporter } from '../../server/service-modules.js';
import { CliError, EXIT, type CliIo, type Command } from '../command.js';
import { serveBanner } from './serve-banner.js';
import { recordInstance } from '../instances/instance-files.js';
import { miniPaviService } from '../../server/minipavi/service.js';
import { MiniPaviVisits } from '../../server/minipavi/visits.js';

export interface ServeDependencies {
  /** The built-in services (default: those of src/services), given the bus that goes with the store; user services are added to them. */
  services?: (log: Logger, context: { bus: Bus }) => Promise<readonly Service[]>;
  /** Resolves when the gateway should stop (default: SIGTERM or SIGINT). */
  stopSignal?: () => Promise<string>;
  /** Called once listening, with the gateway (tests read its ports). */
  onListening?: (gateway: Gateway, address: { port: number; tcpPort: number | null }) => void;
}

const HELP = `Usage: teletel serve [options]

Runs the Teletel gateway: the browser emulator and a WebSocket endpoint on
one port, raw TCP/telnet on another, and a Minitel on a serial cable.

  --port N            HTTP + WebSocket port (default ${DEFAULTS.port}; 0 picks a free one)
  --tcp-port N|off    raw TCP/telnet port (default ${DEFAULTS.tcpPort})
  --host ADDR         interface to listen on (default ${DEFAULTS.host})
  --data DIR          folder of the store and recordings (default ${DEFAULTS.data}; created if missing)
  --database URL      postgres://user:password@host:5432/db: accounts, mail and live CHAT on PostgreSQL,
                      shared by every instance given the same URL (default: SQLite in --data)
  --serial PATH       serial device of a Minitel on a DIN cable, e.g. /dev/ttyUSB0
  --serial-speed S    auto (probe 9600/4800/1200, then raise) or 300, 1200, 4800, 9600
  --serial-framing F  auto, 7e1 or 8n1 (parity computed here, for drivers without 7E1)
  --ws-speed BAUD     WebSocket pacing (default ${DEFAULTS.websocketSpeed} = unthrottled: the browser paces itself);
                      a client may ask with ws://host/ws?speed=1200
  --tcp-speed BAUD    TCP pacing (default ${DEFAULTS.tcpSpeed}, a Minitel modem line)
  --idle-timeout S    seconds without a key before hanging up (default ${DEFAULT_LIMITS.idleTimeoutMs / 1000}; 0 = never)
  --max-session M     longest session in minutes (default ${DEFAULT_LIMITS.maxSessionMs / 60000}; 0 = no limit)
  --public DIR        static files of the emulator (default dist/public)
  --services DIR      user services, one sub-folder each: a service.json with .vdt pages, or an
                      index.js / index.ts exporting defineService (TypeScript needs no build);
                      default ./services when it exists. A folder that fails to load is logged and
                      skipped; a code already taken (built-in, or an earlier folder) is refused
  --dev               watch the services folder and reload a service when its files change:
                      new visits get the new version, visits under way finish on the old one;
                      a version that fails to load is logged and the previous one keeps running
  --minipavi CODE=URL  a service speaking MiniPavi's HTTP protocol for that code (repeatable);
                      only the URL's host (and a config file's allowedHosts) is ever called
  --log-level L       fatal, error, warn, info (default), debug, trace or silent
  --config FILE       JSON file with any of: host, port, tcpPort, data, database, serial, serialSpeed,
                      serialFraming, websocketSpeed, tcpSpeed, public, services, logLevel,
                      idleTimeout, maxSession, minipavi, and "limits" (see src/server/limits.ts)

Each option can also come from the environment: TELETEL_PORT, TELETEL_TCP_PORT,
TELETEL_HOST, TELETEL_DATA, TELETEL_DATABASE_URL, TELETEL_SERIAL, TELETEL_SERIAL_SPEED,
TELETEL_SERIAL_FRAMING, TELETEL_WS_SPEED, TELETEL_TCP_SPEED, TELETEL_PUBLIC,
TELETEL_SERVICES, TELETEL_MINIPAVI, TELETEL_LOG_LEVEL, TELETEL_IDLE_TIMEOUT, TELETEL_MAX_SESSION, TELETEL_CONFIG.
Flags win over the environment, which wins over the config file.

Endpoints: / (emulator; /?url=CODE opens a service), /ws (WebSocket;
/ws?url=CODE and /CODE/ws open a service), /health, /metrics (Prometheus).
Logs are JSON lines (pino) on standard output.
`;

/** The built-in services of src/services, on the store's bus (PostgreSQL's when the store is, so CHAT spans instances). */
async function defaultServices(_log: Logger, context: { bus: Bus }): Promise<readonly Service[]> {
  return builtInServices({ bus: context.bus });
}

/**
 * The configured MiniPavi services (--minipavi CODE=URL, "minipavi" in the
 * config file), each with its own visits, whose PushServiceMsg go over the
 * store's bus to the service's users on every instance.
 */
function miniPaviServices(config: ServerConfig, bus: Bus, log: Logger): Service[] {
  return (config.minipavi ?? []).map((options) =>
    miniPaviService(
      options,
      new MiniPaviVisits(options.code, bus, (error) => log.warn({ err: error, service: options.code }, 'MiniPavi push not sent')),
    ),
  );
}

/** The services folder's services, or undefined when there is no folder (none given, no ./services). */
function userServices(
  config: ServerConfig,
  builtIns: readonly Service[],
  log: Logger,
  dev: boolean,
  onChange: (services: Service[]) => void,
): ServiceFolders | undefined {
  if (config.servicesDir === undefined) {
    if (dev) log.warn('--dev: no services folder to watch; create ./services (teletel new-service NAME) or give --services DIR, then restart');
    return undefined;
  }
  return new ServiceFolders({
    root: config.servicesDir,
    builtIns,
    log,
    importModule: serviceModuleImporter({ fresh: dev }),
    onChange,
  });
}

function signals(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      // A second signal during the graceful stop ends the process at once.
      const force = () => process.exit(130);
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export function createServeCommand(dependencies: ServeDependencies = {}): Command {
  return {
    name: 'serve',
    summary: 'run the gateway: browser emulator, WebSocket, TCP/telnet and serial Minitels',
    help: HELP,
    options: {
      port: { type: 'string' },
      'tcp-port': { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      database: { type: 'string' },
      serial: { type: 'string' },
      'serial-speed': { type: 'string' },
      'serial-framing': { type: 'string' },
      'ws-speed': { type: 'string' },
      'tcp-speed': { type: 'string' },
      'idle-timeout': { type: 'string' },
      'max-session': { type: 'string' },
      public: { type: 'string' },
      'log-level': { type: 'string' },
      config: { type: 'string' },
      services: { type: 'string' },
      minipavi: { type: 'string', multiple: true },
      dev: { type: 'boolean' },
    },
    positionals: [0, 0],
    async run(args, io: CliIo) {
      let config: ServerConfig;
      try {
        config = await loadConfig({ flags: args.values, env: io.env, cwd: io.cwd });
      } catch (error) {
        if (error instanceof ConfigError) {
          throw new CliError(`cannot start:\n  ${error.problems.join('\n  ')}`, EXIT.USAGE, error.code);
        }
        throw error;
      }
      const log = pino({ level: config.logLevel, base: { pid: process.pid } }, io.stdout);
      // The store first: the services need its bus (PostgreSQL's, when several instances share the database).
      let storage: Storage;
      try {
        storage = await openStorage({
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          onError: (error) => log.warn({ err: error }, 'store connection lost; the pool reconnects'),
          bus: {
            onError: (error, topic) => log.warn({ err: error, topic }, 'bus problem'),
            onStatus: (status) => log.info({ status }, `bus ${status}`),
          },
        });
      } catch (error) {
        const where = config.databaseUrl === undefined ? ` in ${config.dataDir}` : '';
        throw new CliError(`cannot open the store${where}: ${(error as Error).message}`, EXIT.FAILURE, 'TELETEL_E_STORE');
      }
      log.info({ store: storage.kind, location: storage.location }, 'store opened');
      const dev = args.values.dev === true;
      let gateway: Gateway | undefined;
      let address;
      let folders: ServiceFolders | undefined;
      try {
        const builtIns = [...miniPaviServices(config, storage.bus, log), ...(await (dependencies.services ?? defaultServices)(log, { bus: storage.bus }))];
        folders = userServices(config, builtIns, log, dev, (services) => gateway?.replaceServices(services));
        await folders?.loadAll();
        gateway = new Gateway({ config, services: folders?.services() ?? builtIns, store: storage.store, log, bus: storage.bus });
        address = await gateway.start();
      } catch (error) {
        await storage.close().catch(() => {});
        if (error instanceof ServerError) throw new CliError(`cannot start: ${error.message}`, EXIT.FAILURE, error.code);
        throw error;
      }
      let watcher: ServiceFolderWatcher | undefined;
      if (dev && folders !== undefined) {
        try {
          watcher = await watchServiceFolders(folders, log);
        } catch (error) {
          log.error({ err: error }, `--dev: cannot watch ${folders.root}; services will not reload`);
        }
      }
      // A promise a service left rejected would stop Node 20, and every session with it: it is logged instead.
      const onRejection = (reason: unknown): void => {
        log.error({ err: reason }, 'unhandled promise rejection (a service bug?); the gateway goes on');
      };
      process.on('unhandledRejection', onRejection);
      // For `teletel drain`: which process serves this data folder, on which port.
      const unrecord = recordInstance(config.dataDir, { pid: process.pid, port: address.port, tcpPort: address.tcpPort, startedAt: Date.now() });
      try {
        dependencies.onListening?.(gateway, address);
        if ((io.stderr as { isTTY?: boolean }).isTTY === true || io.stdout.isTTY === true) {
          io.stderr.write(serveBanner({ host: config.host, port: address.port, tcpPort: address.tcpPort, serial: config.serial }));
        }
        const signal = await (dependencies.stopSignal ?? signals)();
        log.info({ signal }, 'stop requested');
        await watcher?.close();
        // The gateway ends the sessions (CHAT says 'gone' on the bus) and closes the store; the bus goes last.
        await gateway.stop();
        await storage.close();
      } finally {
        unrecord();
        process.off('unhandledRejection', onRejection);
      }
      return EXIT.OK;
    },
  };
}

export const serveCommand = createServeCommand();
