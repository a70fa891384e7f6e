/**
 * What `teletel lint` checks, in one table: each rule's id, severity, the
 * STUM1B page (or docs/videotex.md section) it rests on, and what goes wrong
 * on a real terminal.
 *
 * Severity: an **error** shows something wrong on a Minitel or loses part of
 * the page; a **warning** is a sequence a Minitel 1B ignores, or state the
 * page leaves behind for the next one.
 */
export type Severity = 'error' | 'warning';

export interface Rule {
  id: RuleId;
  severity: Severity;
  /** Where the rule comes from: STUM1B page(s), or a section of docs/videotex.md. */
  reference: string;
  /** One line: what a terminal does with it. */
  summary: string;
}

export const RULE_IDS = [
  'parity-error',
  'parity-bit',
  'eight-bit',
  'latin1-accent',
  'utf8-text',
  'trailing-ff',
  'final-sub',
  'jpeg',
  'transparency-unclosed',
  'transparency-stray-end',
  'ends-in-g1',
  'ends-pending-zone',
  'ends-double-size',
  'ends-in-row-0',
  'drcs',
  'iso2022',
  'mixte-teleinfo',
  'legacy-us',
  'bad-us',
  'syn',
  'g1-blank',
  'csi-row-0',
  'size-rows-0-1',
  'unknown-esc',
  'bad-rep',
  'aborted-sequence',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const TABLE: ReadonlyArray<Omit<Rule, 'id'> & { id: RuleId }> = [
  { id: 'parity-error', severity: 'error', reference: 'p.48, p.99', summary: 'byte with bit 7 set and wrong even parity: a parity-checking Minitel shows the error block' },
  { id: 'parity-bit', severity: 'warning', reference: 'p.47, docs §11', summary: 'bytes carry their even-parity bit 7 (saved from a 7E1 line): strip bit 7 before sending' },
  { id: 'eight-bit', severity: 'error', reference: 'p.47, docs §9', summary: 'byte with bit 7 set in a 7-bit page: shown as byte & 0x7F, or as the error block' },
  { id: 'latin1-accent', severity: 'error', reference: 'p.88–90, docs §11', summary: 'Latin-1 accented letter: masked to 7 bits it is another letter (0xE9 → i); send SS2 accent letter' },
  { id: 'utf8-text', severity: 'error', reference: 'p.88–90, docs §2.4', summary: 'UTF-8 encoded character: shows as two wrong characters; send SS2 accent letter' },
  { id: 'trailing-ff', severity: 'error', reference: 'docs §11', summary: 'trailing 0xFF padding: 0xFF & 0x7F is DEL, a full block on screen' },
  { id: 'final-sub', severity: 'error', reference: 'p.99, docs §11', summary: 'final 0x1A (DOS end of file): SUB draws the error block' },
  { id: 'jpeg', severity: 'error', reference: 'docs §11', summary: 'embedded JPEG run (FF D8 … FF D9, Minitel Photo): a Minitel 1B draws it as garbage' },
  { id: 'transparency-unclosed', severity: 'error', reference: 'p.99', summary: 'ESC 25 screen transparency never ended (ESC 25 40 or ESC 2F 3F): the rest of the page is ignored' },
  { id: 'transparency-stray-end', severity: 'warning', reference: 'p.99', summary: 'end of screen transparency with no start: filtered' },
  { id: 'ends-in-g1', severity: 'warning', reference: 'p.90–91, docs §11', summary: 'page ends in G1: the next page starts in mosaics unless it resets' },
  { id: 'ends-pending-zone', severity: 'warning', reference: 'p.93, docs §11', summary: 'zone attribute still pending at the end: the next page\'s first space becomes a delimiter' },
  { id: 'ends-double-size', severity: 'warning', reference: 'p.91, docs §11', summary: 'double height, width or size still on at the end: carried into the next page' },
  { id: 'ends-in-row-0', severity: 'warning', reference: 'p.97, docs §11', summary: 'page ends with the cursor in row 0: the next page writes on the service row' },
  { id: 'drcs', severity: 'warning', reference: 'docs §6.3', summary: 'DRCS download or G0/G1 designation (Minitel 2): a Minitel 1B filters it and shows plain G0/G1' },
  { id: 'iso2022', severity: 'warning', reference: 'p.99', summary: 'ISO 2022 sequence (ESC 2x … F): filtered by a Minitel 1B' },
  { id: 'mixte-teleinfo', severity: 'warning', reference: 'p.105, p.137', summary: 'switch to Mixte or Téléinformatique mode: the terminal leaves Videotex' },
  { id: 'legacy-us', severity: 'warning', reference: 'p.96', summary: 'legacy US 3X 3Y addressing: forbidden for services (reassigned by the CEPT)' },
  { id: 'bad-us', severity: 'warning', reference: 'p.96', summary: 'US with an off-screen or malformed target: ignored with its bytes' },
  { id: 'syn', severity: 'warning', reference: 'p.87, docs §3', summary: 'SYN (0x16): no action on a Minitel, but emulators take it as SS2' },
  { id: 'g1-blank', severity: 'warning', reference: 'p.101–102, docs §2.2', summary: 'G1 code 0x40–0x5F: blank in STUM1B; terminals differ' },
  { id: 'csi-row-0', severity: 'warning', reference: 'p.95', summary: 'CSI sequence in row 0: ignored' },
  { id: 'size-rows-0-1', severity: 'warning', reference: 'p.93', summary: 'double height or size on row 0 or 1 (any size on row 0): ignored' },
  { id: 'unknown-esc', severity: 'warning', reference: 'p.91–92, p.99', summary: 'ESC with a final byte that means nothing in Videotex: filtered' },
  { id: 'bad-rep', severity: 'warning', reference: 'p.98', summary: 'REP with a count byte below 0x40: ignored' },
  { id: 'aborted-sequence', severity: 'warning', reference: 'p.99', summary: 'sequence cut by a control byte: dropped, and the control executed' },
];

export const RULES: Readonly<Record<RuleId, Rule>> = Object.fromEntries(TABLE.map((rule) => [rule.id, rule])) as Record<RuleId, Rule>;
