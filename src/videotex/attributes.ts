/**
 * The decoder's current attributes (p.86, p.91–94). Character-level attributes
 * apply to the next displayed character; zone attributes (text background,
 * mask, underline) wait in a latent context until a delimiter validates them.
 */
export interface Attributes {
  fg: number;
  blink: boolean;
  inverse: boolean;
  doubleWidth: boolean;
  doubleHeight: boolean;
  /** Separated mosaics (`ESC 5A` in G1). */
  separated: boolean;
  /** G1 selected by SO (true) or G0 by SI (false). */
  mosaic: boolean;
  /** Latent zone context L (p.93): background, mask, underline. */
  zoneBg: number;
  zoneMask: boolean;
  zoneUnderline: boolean;
  /** A zone attribute arrived in G0 and the next SP will be its delimiter (p.93). */
  pending: boolean;
}

export function defaultAttributes(): Attributes {
  return {
    fg: 7,
    blink: false,
    inverse: false,
    doubleWidth: false,
    doubleHeight: false,
    separated: false,
    mosaic: false,
    zoneBg: 0,
    zoneMask: false,
    zoneUnderline: false,
    pending: false,
  };
}

/** What US, RS and FF do to attributes: defaults and G0 (p.96). */
export function resetAttributes(a: Attributes): void {
  // Field by field: this runs on every US, RS and FF, so it must not allocate.
  a.fg = 7;
  a.blink = false;
  a.inverse = false;
  a.doubleWidth = false;
  a.doubleHeight = false;
  a.separated = false;
  a.mosaic = false;
  a.zoneBg = 0;
  a.zoneMask = false;
  a.zoneUnderline = false;
  a.pending = false;
}
