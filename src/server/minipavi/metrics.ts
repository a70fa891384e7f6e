/**
 * Per-service figures for MiniPavi services, in the gateway's /metrics
 * (GatewayMetrics adopts this registry): how long each call takes and the
 * errors by kind (timeout, status, json, version, base64, size, host,
 * redirect, network, answer), and the onward connections (connectToWs,
 * connectToTln) by outcome, and the background calls (BackgroundCall) by
 * outcome.
 */
import { Counter, Histogram, Registry } from 'prom-client';

export const minipaviRegistry = new Registry();

export const minipaviRequestSeconds = new Histogram({
  name: 'teletel_minipavi_request_seconds',
  help: 'Time for a MiniPavi service to answer one call, by service code.',
  labelNames: ['service'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  registers: [minipaviRegistry],
});

export const minipaviErrors = new Counter({
  name: 'teletel_minipavi_errors_total',
  help: 'MiniPavi calls that failed, by service code and kind.',
  labelNames: ['service', 'kind'],
  registers: [minipaviRegistry],
});

export const minipaviOnward = new Counter({
  name: 'teletel_minipavi_onward_total',
  help: 'connectToWs and connectToTln by service code, transport and outcome (refused: host not allowed; failed: no connection; ended; left: the user left the visit).',
  labelNames: ['service', 'transport', 'outcome'],
  registers: [minipaviRegistry],
});

export const minipaviBackground = new Counter({
  name: 'teletel_minipavi_background_total',
  help: 'BackgroundCall entries by service code and outcome (refused_host, refused_time, refused_full, refused_entries: never scheduled; called: answered; failed: no answer after the tries; simulated: typed into a visit here; sent: no such visit here, offered to the other instances; cancelled: the gateway stopped first).',
  labelNames: ['service', 'outcome'],
  registers: [minipaviRegistry],
});
