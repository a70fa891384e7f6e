/**
 * `teletel serve` options: from flags, the environment (`TELETEL_…`) and a
 * JSON config file, in that order of precedence, over the defaults. Everything
 * is checked at start; every problem is reported at once with what to change.
 */
import { access, constants, mkdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPostgresUrl, redactUrl } from '../store/postgres.js';
import { minipaviSetting } from './minipavi/config.js';
import type { MiniPaviServiceOptions } from './minipavi/service.js';
import { ConfigError } from './errors.js';
import { PACING_SPEED, resolveLimits, type ServerLimits } from './limits.js';

export type SerialFraming = 'auto' | '7e1' | '8n1';

export interface ServerConfig {
  /** Interface to listen on. */
  host: string;
  /** HTTP + WebSocket port; 0 picks a free port (the log says which). */
  port: number;
  /** Raw TCP/telnet port; null turns TCP off; 0 picks a free port. */
  tcpPort: number | null;
  /** Folder of the store and recordings (absolute). */
  dataDir: string;
  /** A postgres:// URL: the store and the CHAT bus on PostgreSQL, shared by several instances (default: SQLite in dataDir). */
  databaseUrl?: string;
  /** Serial device of a Minitel on a DIN cable, or null. */
  serial: string | null;
  /** DIN line speed: probed and raised to the terminal's best ('auto'), or fixed. */
  serialSpeed: 'auto' | number;
  /** 7E1 from the driver, or 8N1 with the parity bit computed here (for drivers without 7E1). */
  serialFraming: SerialFraming;
  /** Pacing of WebSocket sessions in baud; 0 = unthrottled (the browser emulator paces itself). */
  websocketSpeed: number;
  /** Pacing of TCP sessions in baud (a real Minitel behind a modem bridge runs at 1200). */
  tcpSpeed: number;
  /** Static files of the browser emulator. */
  publicDir: string;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Folder of user services, one sub-folder each (absolute); unset: none (no ./services folder). */
  servicesDir?: string;
  /** Codes served by remote MiniPavi services (minipavi/config.ts). */
  minipavi?: MiniPaviServiceOptions[];
  limits: ServerLimits;
}

/** Where `npm run build` puts the emulator (src/terminal → dist/public). */
export const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../../dist/public/', import.meta.url));

export const DEFAULTS = {
  host: '0.0.0.0',
  port: 3615,
  tcpPort: 3616,
  data: './data',
  serialSpeed: 'auto',
  serialFraming: 'auto',
  websocketSpeed: 0,
  tcpSpeed: 1200,
  logLevel: 'info',
  services: './services',
} as const;

const SERIAL_SPEEDS = [300, 1200, 4800, 9600] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The settings, by name, with their flag, environment variable and config-file key. */
const SETTINGS = {
  host: { flag: 'host', env: 'TELETEL_HOST', key: 'host' },
  port: { flag: 'port', env: 'TELETEL_PORT', key: 'port' },
  tcpPort: { flag: 'tcp-port', env: 'TELETEL_TCP_PORT', key: 'tcpPort' },
  data: { flag: 'data', env: 'TELETEL_DATA', key: 'data' },
  database: { flag: 'database', env: 'TELETEL_DATABASE_URL', key: 'database' },
  serial: { flag: 'serial', env: 'TELETEL_SERIAL', key: 'serial' },
  serialSpeed: { flag: 'serial-speed', env: 'TELETEL_SERIAL_SPEED', key: 'serialSpeed' },
  serialFraming: { flag: 'serial-framing', env: 'TELETEL_SERIAL_FRAMING', key: 'serialFraming' },
  websocketSpeed: { flag: 'ws-speed', env: 'TELETEL_WS_SPEED', key: 'websocketSpeed' },
  tcpSpeed: { flag: 'tcp-speed', env: 'TELETEL_TCP_SPEED', key: 'tcpSpeed' },
  publicDir: { flag: 'public', env: 'TELETEL_PUBLIC', key: 'public' },
  logLevel: { flag: 'log-level', env: 'TELETEL_LOG_LEVEL', key: 'logLevel' },
  services: { flag: 'services', env: 'TELETEL_SERVICES', key: 'services' },
  idleTimeout: { flag: 'idle-timeout', env: 'TELETEL_IDLE_TIMEOUT', key: 'idleTimeout' },
  maxSession: { flag: 'max-session', env: 'TELETEL_MAX_SESSION', key: 'maxSession' },
  minipavi: { flag: 'minipavi', env: 'TELETEL_MINIPAVI', key: 'minipavi' },
} as const;
type SettingName = keyof typeof SETTINGS;

/** Config-file keys, for the "unknown key" check. */
const FILE_KEYS = new Set<string>([...Object.values(SETTINGS).map((s) => s.key), 'limits']);

export interface ConfigSources {
  /** Parsed flags, by flag name (`tcp-port`, …). */
  flags: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface RawValue {
  value: unknown;
  /** Where it came from, as the user would name it: `--port`, `TELETEL_PORT`, `teletel.json: port`. */
  source: string;
}

/**
 * Reads and checks the configuration. Throws ConfigError listing every
 * problem; creates the data folder when it does not exist.
 */
export async function loadConfig(sources: ConfigSources): Promise<ServerConfig> {
  const problems: string[] = [];
  const file = await readConfigFile(sources, problems);
  const pick = (name: SettingName): RawValue | undefined => {
    const s = SETTINGS[name];
    const flag = sources.flags[s.flag];
    if (flag !== undefined) return { value: flag, source: `--${s.flag}` };
    const env = sources.env[s.env];
    if (env !== undefined && env !== '') return { value: env, source: s.env };
    if (file && file.values[s.key] !== undefined) return { value: file.values[s.key], source: `${file.path}: ${s.key}` };
    return undefined;
  };

  const host = stringSetting(pick('host'), DEFAULTS.host, problems);
  const port = portSetting(pick('port'), DEFAULTS.port, false, problems) ?? DEFAULTS.port;
  const tcpPort = portSetting(pick('tcpPort'), DEFAULTS.tcpPort, true, problems);
  if (port !== 0 && tcpPort !== null && tcpPort === port) {
    problems.push(`The HTTP port and the TCP port are both ${port}; give --tcp-port another number (or 'off').`);
  }
  const dataDir = resolve(sources.cwd, stringSetting(pick('data'), DEFAULTS.data, problems));
  const databaseUrl = databaseSetting(pick('database'), problems);
  const serialRaw = pick('serial');
  const serial = serialRaw === undefined ? null : resolve(sources.cwd, stringSetting(serialRaw, '', problems));
  const serialSpeed = serialSpeedSetting(pick('serialSpeed'), problems);
  const serialFraming = choiceSetting(pick('serialFraming'), ['auto', '7e1', '8n1'] as const, DEFAULTS.serialFraming, problems);
  const websocketSpeed = speedSetting(pick('websocketSpeed'), DEFAULTS.websocketSpeed, problems);
  const tcpSpeed = speedSetting(pick('tcpSpeed'), DEFAULTS.tcpSpeed, problems);
  const publicRaw = pick('publicDir');
  const publicDir = publicRaw === undefined ? DEFAULT_PUBLIC_DIR : resolve(sources.cwd, stringSetting(publicRaw, '', problems));
  const logLevel = choiceSetting(pick('logLevel'), LOG_LEVELS, DEFAULTS.logLevel, problems);
  const servicesDir = await servicesSetting(pick('services'), sources.cwd, problems);
  const minipaviRaw = pick('minipavi');
  const minipavi = minipaviSetting(minipaviRaw?.value, minipaviRaw?.source ?? 'minipavi', problems);

  const { limits, problems: limitProblems } = resolveLimits(file?.values.limits, file ? `${file.path}` : 'limits');
  problems.push(...limitProblems);
  const idle = wholeSetting(pick('idleTimeout'), 0, 7 * 24 * 3600, 'seconds (0 = never)', problems);
  if (idle !== undefined) limits.idleTimeoutMs = idle * 1000;
  const maxSession = wholeSetting(pick('maxSession'), 0, 365 * 24 * 60, 'minutes (0 = no limit)', problems);
  if (maxSession !== undefined) limits.maxSessionMs = maxSession * 60_000;

  if (problems.length === 0) {
    await checkDataDir(dataDir, problems);
    if (serial !== null) await checkSerialDevice(serial, problems);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'), problems);
  return {
    host,
    port,
    tcpPort,
    dataDir,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    serial,
    serialSpeed,
    serialFraming,
    websocketSpeed,
    tcpSpeed,
    publicDir,
    logLevel,
    ...(servicesDir === undefined ? {} : { servicesDir }),
    minipavi,
    limits,
  };
}

async function readConfigFile(
  sources: ConfigSources,
  problems: string[],
): Promise<{ path: string; values: Record<string, unknown> } | undefined> {
  const flag = sources.flags.config;
  const raw = typeof flag === 'string' ? flag : sources.env.TELETEL_CONFIG;
  if (raw === undefined || raw === '') return undefined;
  const path = isAbsolute(raw) ? raw : resolve(sources.cwd, raw);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(code === 'ENOENT' ? `Config file ${raw} does not exist; check the --config path.` : `Config file ${raw} cannot be read (${code ?? String(error)}).`);
    return undefined;
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    problems.push(`Config file ${raw} is not valid JSON: ${(error as Error).message}.`);
    return undefined;
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    problems.push(`Config file ${raw} must hold a JSON object such as {"port": 3615}.`);
    return undefined;
  }
  for (const key of Object.keys(values)) {
    if (!FILE_KEYS.has(key)) problems.push(`${raw}: unknown key "${key}"; known keys: ${[...FILE_KEYS].join(', ')}.`);
  }
  return { path: raw, values: values as Record<string, unknown> };
}

function stringSetting(raw: RawValue | undefined, fallback: string, problems: string[]): string {
  if (raw === undefined) return fallback;
  if (typeof raw.value !== 'string' || raw.value.trim() === '') {
    problems.push(`${raw.source} must be a non-empty text, not ${JSON.stringify(raw.value)}.`);
    return fallback;
  }
  return raw.value;
}

/** A postgres:// URL; shown without its password when it is wrong. */
function databaseSetting(raw: RawValue | undefined, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  if (!isPostgresUrl(raw.value)) {
    const shown = typeof raw.value === 'string' ? JSON.stringify(redactUrl(raw.value)) : JSON.stringify(raw.value);
    problems.push(`${raw.source} must be a PostgreSQL URL such as postgres://user:password@host:5432/teletel, not ${shown} (without it, the store is SQLite in the data folder).`);
    return undefined;
  }
  return raw.value;
}

/** The user services folder: the one given, which must exist, or ./services when there is one. */
async function servicesSetting(raw: RawValue | undefined, cwd: string, problems: string[]): Promise<string | undefined> {
  const dir = resolve(cwd, raw === undefined ? DEFAULTS.services : stringSetting(raw, DEFAULTS.services, problems));
  const isFolder = await stat(dir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isFolder) return dir;
  if (raw !== undefined) {
    problems.push(`${raw.source}: ${dir} is not a folder; give the folder that holds your services (teletel new-service NAME creates ./services/NAME).`);
  }
  return undefined;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

function portSetting(raw: RawValue | undefined, fallback: number, canBeOff: true, problems: string[]): number | null;
function portSetting(raw: RawValue | undefined, fallback: number, canBeOff: false, problems: string[]): number | undefined;
function portSetting(raw: RawValue | undefined, fallback: number, canBeOff: boolean, problems: string[]): number | null | undefined {
  if (raw === undefined) return fallback;
  if (canBeOff && (raw.value === 'off' || raw.value === false || raw.value === null)) return null;
  const n = toNumber(raw.value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    const off = canBeOff ? ", or 'off' to turn it off" : '';
    problems.push(`${raw.source} must be a port number from 0 to 65535 (0 picks a free port${off}), not ${JSON.stringify(raw.value)}.`);
    return canBeOff ? fallback : undefined;
  }
  return n;
}

function speedSetting(raw: RawValue | undefined, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const n = toNumber(raw.value);
  if (!Number.isInteger(n) || (n !== 0 && (n < PACING_SPEED.min || n > PACING_SPEED.max))) {
    problems.push(`${raw.source} must be a speed in baud from ${PACING_SPEED.min} to ${PACING_SPEED.max}, or 0 for unthrottled, not ${JSON.stringify(raw.value)}.`);
    return fallback;
  }
  return n;
}

function serialSpeedSetting(raw: RawValue | undefined, problems: string[]): 'auto' | number {
  if (raw === undefined || raw.value === 'auto') return 'auto';
  const n = toNumber(raw.value);
  if (!(SERIAL_SPEEDS as readonly number[]).includes(n)) {
    problems.push(`${raw.source} must be auto or one of ${SERIAL_SPEEDS.join(', ')} (the DIN port speeds, STUM1B p.141), not ${JSON.stringify(raw.value)}.`);
    return 'auto';
  }
  return n;
}

function choiceSetting<T extends string>(raw: RawValue | undefined, choices: readonly T[], fallback: T, problems: string[]): T {
  if (raw === undefined) return fallback;
  if (typeof raw.value !== 'string' || !(choices as readonly string[]).includes(raw.value)) {
    problems.push(`${raw.source} must be one of ${choices.join(', ')}, not ${JSON.stringify(raw.value)}.`);
    return fallback;
  }
  return raw.value as T;
}

function wholeSetting(raw: RawValue | undefined, min: number, max: number, unit: string, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const n = toNumber(raw.value);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${raw.source} must be a whole number of ${unit} from ${min} to ${max}, not ${JSON.stringify(raw.value)}.`);
    return undefined;
  }
  return n;
}

async function checkDataDir(dir: string, problems: string[]): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(`The data folder ${dir} cannot be created (${code ?? String(error)}); choose another with --data or TELETEL_DATA.`);
    return;
  }
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      problems.push(`The data path ${dir} is a file, not a folder; choose a folder with --data.`);
      return;
    }
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(`The data folder ${dir} is not writable (${code ?? String(error)}); fix its permissions or choose another with --data.`);
  }
}

async function checkSerialDevice(path: string, problems: string[]): Promise<void> {
  try {
    const info = await stat(path);
    if (!info.isCharacterDevice()) {
      problems.push(`${path} is not a serial device (a character device such as /dev/ttyUSB0); check the --serial path.`);
      return;
    }
    await access(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      problems.push(`There is no serial device at ${path}: check the cable is plugged in, and the path (ls /dev/ttyUSB* /dev/ttyACM*).`);
    } else if (code === 'EACCES' || code === 'EPERM') {
      problems.push(`No permission to open ${path}: add your user to the group that owns it (often 'dialout') and log in again.`);
    } else {
      problems.push(`The serial device ${path} cannot be used (${code ?? String(error)}).`);
    }
  }
}
