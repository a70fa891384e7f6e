/**
 * MiniPavi services in the configuration: `--minipavi CODE=URL` (repeatable;
 * TELETEL_MINIPAVI takes `CODE=URL,CODE=URL`), or in the config file
 *
 *   "minipavi": [ { "code": "METEO", "url": "https://meteo.example/minipavi/",
 *                   "name": "La météo", "allowedHosts": ["api.meteo.example"],
 *                   "timeoutMs": 5000 } ]
 *
 * Each problem is a sentence that says what to fix, like every other setting.
 */
import { MINIPAVI_LIMITS } from './limits.js';
import type { MiniPaviServiceOptions } from './service.js';

const CODE = /^[A-Z0-9]{1,16}$/;

export function minipaviSetting(value: unknown, source: string, problems: string[]): MiniPaviServiceOptions[] {
  if (value === undefined) return [];
  const entries: unknown[] = typeof value === 'string' ? value.split(',').filter((s) => s.trim() !== '') : Array.isArray(value) ? value : [value];
  const services: MiniPaviServiceOptions[] = [];
  for (const entry of entries) {
    const service = typeof entry === 'string' ? fromPair(entry.trim(), source, problems) : fromObject(entry, source, problems);
    if (service === undefined) continue;
    if (services.some((s) => s.code === service.code)) problems.push(`${source}: the code ${service.code} is given twice.`);
    else services.push(service);
  }
  return services;
}

function fromPair(pair: string, source: string, problems: string[]): MiniPaviServiceOptions | undefined {
  const at = pair.indexOf('=');
  if (at < 0) {
    problems.push(`${source}: '${pair}' is not CODE=URL, e.g. METEO=https://meteo.example/minipavi/`);
    return undefined;
  }
  return checked({ code: pair.slice(0, at).trim().toUpperCase(), url: pair.slice(at + 1).trim() }, source, problems);
}

function fromObject(entry: unknown, source: string, problems: string[]): MiniPaviServiceOptions | undefined {
  if (typeof entry !== 'object' || entry === null) {
    problems.push(`${source}: each MiniPavi service is { "code": …, "url": … } or "CODE=URL".`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const hosts = e.allowedHosts;
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string'))) {
    problems.push(`${source}: allowedHosts is a list of host names, e.g. ["api.example.org"].`);
    return undefined;
  }
  const timeout = e.timeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 100 || timeout > 60_000)) {
    problems.push(`${source}: timeoutMs is a whole number of milliseconds from 100 to 60000 (default ${MINIPAVI_LIMITS.timeoutMs}).`);
    return undefined;
  }
  return checked(
    {
      code: typeof e.code === 'string' ? e.code.toUpperCase() : '',
      url: typeof e.url === 'string' ? e.url : '',
      ...(typeof e.name === 'string' ? { name: e.name } : {}),
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
      ...(hosts !== undefined ? { allowedHosts: hosts as string[] } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
    },
    source,
    problems,
  );
}

function checked(service: MiniPaviServiceOptions, source: string, problems: string[]): MiniPaviServiceOptions | undefined {
  if (!CODE.test(service.code)) {
    problems.push(`${source}: '${service.code}' is not a service code: 1 to 16 capital letters or digits.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(service.url);
  } catch {
    problems.push(`${source}: '${service.url}' is not a URL; give the MiniPavi service's http:// or https:// address.`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${source}: ${service.code} must be an http:// or https:// URL, not ${url.protocol}`);
    return undefined;
  }
  return service;
}
