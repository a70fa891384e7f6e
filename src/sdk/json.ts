/**
 * A strict JSON reader (RFC 8259) that says where things are: a syntax error
 * comes with its line and column, and every value's position is kept by its
 * path ("pages.accueil.keys.Suite"), so a later check can point at the exact
 * line of an unknown page name. JSON.parse gives neither the same way on
 * every Node version.
 */

export interface Position {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface LocatedJson {
  value: unknown;
  /** Position of the value at each path; the root is ''. Keys are joined with '.', array indexes too. */
  positions: Map<string, Position>;
}

/** Deepest nesting accepted, so a hostile file cannot exhaust the stack. */
const MAX_DEPTH = 64;

export function parseJson(text: string): LocatedJson {
  const parser = new Parser(text);
  return parser.document();
}

class Parser {
  private i = 0;
  readonly positions = new Map<string, Position>();
  /** Index where each line starts, for positions in O(log n). */
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 0x0a) this.lineStarts.push(k + 1);
  }

  document(): LocatedJson {
    if (this.text.charCodeAt(0) === 0xfeff) this.i = 1; // a byte-order mark
    this.space();
    const value = this.value('', 0);
    this.space();
    if (this.i < this.text.length) this.fail(`unexpected '${this.peekShown()}' after the end of the JSON value`);
    return { value, positions: this.positions };
  }

  private value(path: string, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.positions.set(path, this.position(this.i));
    const c = this.text[this.i];
    switch (c) {
      case '{':
        return this.object(path, depth);
      case '[':
        return this.array(path, depth);
      case '"':
        return this.string();
      case 't':
        return this.word('true', true);
      case 'f':
        return this.word('false', false);
      case 'n':
        return this.word('null', null);
      case undefined:
        return this.fail('the file ends where a value was expected');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail(`unexpected '${this.peekShown()}' where a value was expected`);
    }
  }

  private object(path: string, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.i++;
    this.space();
    if (this.text[this.i] === '}') {
      this.i++;
      return result;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail(`expected a "quoted" property name, found '${this.peekShown()}'`);
      const keyAt = this.i;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(result, key)) this.failAt(keyAt, `the property "${key}" appears twice`);
      this.space();
      if (this.text[this.i] !== ':') this.fail(`expected ':' after "${key}", found '${this.peekShown()}'`);
      this.i++;
      this.space();
      const child = path === '' ? key : `${path}.${key}`;
      Object.defineProperty(result, key, { value: this.value(child, depth + 1), enumerable: true, writable: true, configurable: true });
      this.space();
      const c = this.text[this.i];
      if (c === ',') {
        const comma = this.i++;
        this.space();
        if (this.text[this.i] === '}') this.failAt(comma, 'a comma before } is not allowed in JSON');
        continue;
      }
      if (c === '}') {
        this.i++;
        return result;
      }
      this.fail(c === undefined ? 'the file ends inside an object (missing })' : `expected ',' or '}' after a property value, found '${this.peekShown()}'`);
    }
  }

  private array(path: string, depth: number): unknown[] {
    const result: unknown[] = [];
    this.i++;
    this.space();
    if (this.text[this.i] === ']') {
      this.i++;
      return result;
    }
    for (;;) {
      this.space();
      result.push(this.value(path === '' ? String(result.length) : `${path}.${result.length}`, depth + 1));
      this.space();
      const c = this.text[this.i];
      if (c === ',') {
        const comma = this.i++;
        this.space();
        if (this.text[this.i] === ']') this.failAt(comma, 'a comma before ] is not allowed in JSON');
        continue;
      }
      if (c === ']') {
        this.i++;
        return result;
      }
      this.fail(c === undefined ? 'the file ends inside a list (missing ])' : `expected ',' or ']' in a list, found '${this.peekShown()}'`);
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.failAt(start, 'a string is not closed (missing ")');
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\n' || c.charCodeAt(0) < 0x20) this.fail('a string cannot hold a line break or control character (write \\n)');
      if (c === '\\') {
        const e = this.text[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          this.i += 2;
          continue;
        }
        if (e === 'u') {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u needs four hexadecimal digits');
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
          continue;
        }
        this.fail(`unknown escape '\\${e ?? ''}' in a string`);
      }
      out += c;
      this.i++;
    }
  }

  private number(): number {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (match === null) return this.fail('a malformed number');
    this.i += match[0].length;
    return Number(match[0]);
  }

  private word<T>(word: string, value: T): T {
    if (this.text.startsWith(word, this.i)) {
      this.i += word.length;
      return value;
    }
    return this.fail(`unexpected '${this.peekShown()}' where a value was expected`);
  }

  private space(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else return;
    }
  }

  private peekShown(): string {
    const c = this.text[this.i];
    if (c === undefined) return 'end of file';
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }

  position(index: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: index - this.lineStarts[low] + 1 };
  }

  private fail(message: string): never {
    return this.failAt(this.i, message);
  }

  private failAt(index: number, message: string): never {
    const { line, column } = this.position(index);
    throw new JsonSyntaxError(message, line, column);
  }
}
