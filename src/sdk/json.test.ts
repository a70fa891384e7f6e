import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson } from './json.js';

function errorOf(text: string): [number, number, string] {
  try {
    parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return [error.line, error.column, error.message];
    throw error;
  }
  throw new Error('no error');
}

describe('parseJson', () => {
  it('reads what JSON.parse reads, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseJson(text).value).toEqual(JSON.parse(text));
      }),
    );
  });

  it('keeps the position of each value by its path', () => {
    const { positions } = parseJson('{\n  "pages": {\n    "a": { "file": "a.vdt" }\n  },\n  "list": [1, 2]\n}');
    expect(positions.get('')).toEqual({ line: 1, column: 1 });
    expect(positions.get('pages.a.file')).toEqual({ line: 3, column: 20 });
    expect(positions.get('list.1')).toEqual({ line: 5, column: 15 });
  });

  it('says where a syntax error is and what it is', () => {
    expect(errorOf('{\n  "a": 1,\n}')).toEqual([2, 9, 'a comma before } is not allowed in JSON']);
    expect(errorOf('{"a": 1 "b": 2}')).toEqual([1, 9, `expected ',' or '}' after a property value, found '"'`]);
    expect(errorOf("{'a': 1}")).toEqual([1, 2, `expected a "quoted" property name, found '''`]);
    expect(errorOf('{"a": "x\ny"}')).toEqual([1, 9, 'a string cannot hold a line break or control character (write \\n)']);
    expect(errorOf('{"a": [1, 2}')).toEqual([1, 12, `expected ',' or ']' in a list, found '}'`]);
    expect(errorOf('{"a": 1, "a": 2}')).toEqual([1, 10, 'the property "a" appears twice']);
    expect(errorOf('{"a": tru}')).toEqual([1, 7, `unexpected 't' where a value was expected`]);
    expect(errorOf('{} x')).toEqual([1, 4, `unexpected 'x' after the end of the JSON value`]);
    expect(errorOf('')).toEqual([1, 1, 'the file ends where a value was expected']);
    expect(errorOf('"abc')).toEqual([1, 1, 'a string is not closed (missing ")']);
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(errorOf('['.repeat(100_000))[2]).toMatch(/nesting deeper than 64/);
  });

  it('treats __proto__ as an ordinary property', () => {
    const { value } = parseJson('{"__proto__": {"polluted": true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
