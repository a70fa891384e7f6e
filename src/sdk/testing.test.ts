import { describe, expect, it } from 'vitest';
import { connect } from './testing.js';
import { InputQueue } from './input.js';
import { FREE, type Service } from './service.js';

describe('the virtual Minitel', () => {
  it('logs an input listener whose promise rejects, as the gateway does, and goes on', async () => {
    const seen: string[] = [];
    const service: Service = {
      code: 'ASYNC',
      name: 'Async',
      description: '',
      tariff: FREE,
      keywords: [],
      async run(link) {
        link.onInput(async (event) => {
          if (event.type !== 'char') return;
          seen.push(event.char);
          if (event.char === 'X') throw new Error('cannot handle X');
        });
        // Waiting for keys the way SDK services do, so the virtual Minitel can tell when it is idle.
        const keys = new InputQueue(link);
        for (;;) await keys.next();
      },
    };
    const m = connect(service);
    await m.type('XY');
    await m.idle();
    expect(seen).toEqual(['X', 'Y']);
    expect(m.logs).toEqual([{ level: 'error', message: 'service input listener threw', fields: { error: 'cannot handle X' } }]);
    await m.hangUp();
  });
});
