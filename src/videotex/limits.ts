/**
 * Every bound the Videotex core puts on input, in one place. The decoder's
 * memory is fixed: no input, however long or malformed, makes it grow.
 */
export const LIMITS = {
  /** CSI parameters kept; further `;` are counted as the last one. Videotex uses at most 2 (p.95). */
  csiParameters: 8,
  /** A CSI parameter saturates here: no screen distance is larger. */
  csiParameterValue: 9999,
  /** ISO 2022 intermediates kept before the final byte (p.99); the rest are swallowed. */
  isoIntermediates: 4,
  /** A DRCS shape is 14 bytes of 6 bits (10 rows × 8 pixels); extra bytes are ignored. */
  drcsBytesPerShape: 14,
  /** Bytes read in a DRCS header (`US 23 20 20 20 42 49`) before it is given up. */
  drcsHeaderBytes: 8,
  /** Length groups read in a Photo-Videotex block header; pages use 2–3. */
  photoLengthBytes: 4,
  /** Longest picture block skipped (bytes); the corpus's largest is under 10 KB. */
  photoBlockBytes: 1 << 20,
} as const;
