/**
 * The services a gateway offers, by code. Codes are what users type after
 * 3615: upper-case letters and digits, 1–16 characters (src/sdk/service.ts).
 */
import type { Service, ServiceInfo } from '../sdk/service.js';
import { ConfigError } from './errors.js';

const CODE = /^[A-Z0-9]{1,16}$/;

export class ServiceDirectory {
  private readonly byCode = new Map<string, Service>();
  private readonly infos: readonly ServiceInfo[];

  constructor(services: readonly Service[]) {
    const problems: string[] = [];
    for (const service of services) {
      if (typeof service?.code !== 'string' || !CODE.test(service.code)) {
        problems.push(`Service code ${JSON.stringify(service?.code)} must be 1–16 upper-case letters or digits.`);
        continue;
      }
      if (this.byCode.has(service.code)) {
        problems.push(`Two services have the code ${service.code}; codes must be unique.`);
        continue;
      }
      if (typeof service.run !== 'function') {
        problems.push(`Service ${service.code} has no run function.`);
        continue;
      }
      this.byCode.set(service.code, service);
    }
    if (problems.length > 0) throw new ConfigError(problems.join('\n'), problems);
    this.infos = [...this.byCode.values()]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map(({ code, name, description, tariff, keywords }) => Object.freeze({ code, name, description, tariff, keywords }));
  }

  /** The service for what the user typed: "ulla", "3615 ULLA", "3615ULLA" all find ULLA. */
  find(typed: string): Service | undefined {
    return this.byCode.get(normaliseCode(typed));
  }

  /** The services themselves, for the gateway's stop. */
  all(): readonly Service[] {
    return [...this.byCode.values()];
  }

  list(): readonly ServiceInfo[] {
    return this.infos;
  }

  get size(): number {
    return this.byCode.size;
  }
}

/** Upper case, spaces removed, an optional leading 3615 dropped. */
export function normaliseCode(typed: string): string {
  const code = typed.toUpperCase().replace(/\s+/g, '');
  return code.length > 4 && code.startsWith('3615') ? code.slice(4) : code;
}
