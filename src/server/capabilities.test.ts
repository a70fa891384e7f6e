/** What the gateway offers a service, from the terminal's ENQROM reply (p.138–139). */
import { describe, expect, it } from 'vitest';
import { parseEnqrom } from '../videotex/key-parser.js';
import { capabilitiesOf, decoderModelOf } from './capabilities.js';

describe('capabilities from ENQROM', () => {
  it('give DRCS to a Minitel 2 and to emulators, not to a 1B or a silent terminal', () => {
    expect(capabilitiesOf(parseEnqrom(Uint8Array.of(0x01, 0x42, 0x76, 0x34, 0x04)), 1200)).toMatchObject({ model: 'minitel2', drcs: true });
    expect(capabilitiesOf(parseEnqrom(Uint8Array.of(0x01, 0x43, 0x75, 0x34, 0x04)), 1200)).toMatchObject({ model: 'minitel1b', drcs: false });
    expect(capabilitiesOf(null, 1200)).toMatchObject({ model: 'unknown', drcs: false, speed: 1200 });
  });

  it('never offer 80 columns, which the mirror cannot follow (Mixte, p.105)', () => {
    for (const reply of [null, parseEnqrom(Uint8Array.of(0x01, 0x42, 0x76, 0x34, 0x04)), parseEnqrom(Uint8Array.of(0x01, 0x43, 0x75, 0x34, 0x04))]) {
      expect(capabilitiesOf(reply, 1200).columns80).toBe(false);
    }
  });

  it('decode a session with the profile the terminal has: a 1B filters DRCS', () => {
    expect(decoderModelOf(capabilitiesOf(null, 1200))).toBe('minitel1b');
    expect(decoderModelOf(capabilitiesOf(parseEnqrom(Uint8Array.of(0x01, 0x42, 0x76, 0x34, 0x04)), 1200))).toBe('minitel2');
  });
});
