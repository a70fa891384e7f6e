import { describe, expect, it } from 'vitest';
import { InProcessBus } from './bus.js';
import { isStoreError } from './errors.js';
import { POSTGRES_LIMITS } from './limits.js';

describe('InProcessBus', () => {
  it('delivers to every subscriber of the topic, in publish order, and not to others', async () => {
    const bus = new InProcessBus();
    const got: string[] = [];
    bus.subscribe('room:a', (m) => got.push(`1:${String(m)}`));
    bus.subscribe('room:a', (m) => got.push(`2:${String(m)}`));
    bus.subscribe('room:b', (m) => got.push(`b:${String(m)}`));
    await bus.publish('room:a', 'x');
    await bus.publish('room:a', 'y');
    expect(got).toEqual(['1:x', '2:x', '1:y', '2:y']);
  });

  it('gives each subscriber its own copy, as a remote bus would', async () => {
    const bus = new InProcessBus();
    const seen: unknown[] = [];
    bus.subscribe('t', (m) => {
      (m as { n: number }).n++;
      seen.push(m);
    });
    bus.subscribe('t', (m) => seen.push(m));
    const message = { n: 1 };
    await bus.publish('t', message);
    expect(seen).toEqual([{ n: 2 }, { n: 1 }]);
    expect(message.n).toBe(1);
  });

  it('stops delivering after unsubscribe and reports a throwing handler without stopping others', async () => {
    const errors: unknown[] = [];
    const bus = new InProcessBus({ onError: (e) => errors.push(e) });
    const got: unknown[] = [];
    const off = bus.subscribe('t', () => {
      throw new Error('boom');
    });
    bus.subscribe('t', (m) => got.push(m));
    await bus.publish('t', 1);
    off();
    await bus.publish('t', 2);
    expect(got).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
    expect(bus.subscribers('t')).toBe(1);
  });

  it('refuses messages that are not JSON', async () => {
    const bus = new InProcessBus();
    await expect(bus.publish('t', undefined)).rejects.toThrow(/JSON value/);
    await expect(bus.publish('t', 1n)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_VALUE'));
  });

  it('refuses what a PostgreSQL bus refuses, so a service that works on one works on the other', async () => {
    const bus = new InProcessBus();
    bus.subscribe('t', () => {});
    await expect(bus.publish('', 1)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_VALUE'));
    await expect(bus.publish('t'.repeat(129), 1)).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_VALUE'));
    await expect(bus.publish('t', 'x'.repeat(POSTGRES_LIMITS.notifyPayloadBytesMax))).rejects.toSatisfy((e: unknown) =>
      isStoreError(e, 'TELETEL_E_STORE_LIMIT'),
    );
    // Bytes, not characters: 4000 × é is 8000 bytes of UTF-8.
    await expect(bus.publish('t', 'é'.repeat(4000))).rejects.toSatisfy((e: unknown) => isStoreError(e, 'TELETEL_E_STORE_LIMIT'));
    await bus.publish('t', 'x'.repeat(7000));
  });
});
