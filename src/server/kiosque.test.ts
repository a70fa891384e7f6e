import { describe, expect, it } from 'vitest';
import { TARIFF_3615 } from '../sdk/service.js';
import { costOf, formatCost, formatTariff, KiosqueMeter } from './kiosque.js';

describe('kiosque meter', () => {
  it('prorates the tariff to the second and rounds to the centime', () => {
    expect(costOf(TARIFF_3615, 60_000)).toBe(1.29);
    expect(costOf(TARIFF_3615, 30_000)).toBe(0.65);
    expect(costOf(TARIFF_3615, 0)).toBe(0);
    expect(costOf({ perMinute: 0, currency: 'EUR' }, 3_600_000)).toBe(0);
  });

  it('writes amounts the French way, francs as F and no € sign (not in the Minitel sets)', () => {
    expect(formatCost(2.5, 'FRF')).toBe('2,50 F');
    expect(formatCost(0.34, 'EUR')).toBe('0,34 EUR');
    expect(formatTariff(TARIFF_3615)).toBe('1,29 F/mn');
    expect(formatTariff({ perMinute: 0, currency: 'EUR' })).toBe('gratuit');
  });

  it('records one visit per service with its bytes and cost, and nothing more at hang-up', () => {
    const line = { bytesIn: 0, bytesOut: 0 };
    const meter = new KiosqueMeter('s1', 'websocket', '127.0.0.1', 0, line);
    line.bytesIn = 10;
    meter.enter('ULLA', TARIFF_3615, 1000);
    line.bytesIn = 30;
    line.bytesOut = 500;
    expect(meter.describe(121_000)).toBe('Coût : 2,58 F (2 mn 01 s)');
    const record = meter.leave(121_000)!;
    expect(record).toMatchObject({ id: 's1.1', service: 'ULLA', bytesIn: 20, bytesOut: 500, cost: 2.58, currency: 'FRF' });
    expect(meter.close(200_000)).toBeUndefined();
  });

  it('records a connection that never left the home page once, free', () => {
    const meter = new KiosqueMeter('s2', 'tcp', '10.0.0.1', 0, { bytesIn: 3, bytesOut: 400 });
    expect(meter.close(5000)).toMatchObject({ id: 's2', service: null, cost: 0, bytesIn: 3, bytesOut: 400 });
  });
});
