/**
 * The services a fresh Teletel offers. The gateway calls
 * `builtInServices(options)` once at start and gives the list to its router.
 */
import type { Service } from '../sdk/service.js';
import type { Bus } from '../store/bus.js';
import { InProcessBus } from '../store/bus.js';
import { annuService, type AnnuOptions } from './annu/index.js';
import { chatService, type ChatOptions } from './chat/index.js';
import { galerieService, type GalerieOptions } from './galerie/index.js';
import { guideService } from './guide/index.js';
import { journalService, type JournalOptions } from './journal/index.js';

export { annuService, chatService, galerieService, guideService, journalService };

export interface BuiltInServicesOptions {
  /**
   * Live events between sessions (CHAT). One bus per process by default;
   * give a shared one (PostgresBus, store/postgres-bus.ts) when several
   * gateways serve the same users.
   */
  bus?: Bus;
  chat?: Omit<ChatOptions, 'bus'>;
  journal?: JournalOptions;
  annu?: AnnuOptions;
  galerie?: GalerieOptions;
  /** Only these codes (default all). */
  only?: readonly string[];
}

/**
 * GUIDE, CHAT, ANNU, JOURNAL and GALERIE. Without `chat.operators`, the
 * environment variable TELETEL_CHAT_OPERATOR_PASSWORD (with
 * TELETEL_CHAT_OPERATOR_NAME, default "Sysop") gives one operator.
 */
export function builtInServices(options: BuiltInServicesOptions = {}): Service[] {
  const bus = options.bus ?? new InProcessBus();
  const operators = options.chat?.operators ?? operatorFromEnvironment();
  const services = [
    guideService(),
    chatService({ ...options.chat, operators, bus }),
    annuService(options.annu),
    journalService(options.journal),
    galerieService(options.galerie),
  ];
  return options.only === undefined ? services : services.filter((s) => options.only?.includes(s.code));
}

function operatorFromEnvironment(): { name: string; password: string }[] {
  const password = process.env.TELETEL_CHAT_OPERATOR_PASSWORD;
  if (password === undefined || password === '') return [];
  return [{ name: process.env.TELETEL_CHAT_OPERATOR_NAME ?? 'Sysop', password }];
}
