/**
 * The module graph of src/ has no import cycle: a file never needs, through
 * any chain of imports (type-only ones included), a file that needs it. A
 * cycle is what makes a newcomer follow one keypress round and round the
 * same files; this test names the files of any cycle it finds.
 *
 * Imports are read by TypeScript's own pre-processor (ts.preProcessFile):
 * static `import … from` (type-only too), `export … from` and dynamic
 * `import('…')`, not text that merely looks like one (a template string
 * holding a generated file, say). Only relative specifiers lead into src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** file → the src files it imports. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets: string[] = [];
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (known.has(target)) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle's files, found by a depth-first walk (one cycle per back edge). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const seen = state.get(next);
      if (seen === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the module graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('reads static, re-export, type-only and dynamic imports', () => {
    const files = sourceFiles(src);
    const graph = importGraph(files);
    const of = (path: string): string[] => (graph.get(join(src, path)) ?? []).map((f) => relative(src, f));
    expect(of('videotex/index.ts')).toContain('videotex/terminal.ts'); // export … from
    expect(of('server/session.ts')).toContain('server/router.ts');
    expect(of('server/router.ts')).toContain('server/line.ts'); // import type
    // new-service.ts writes "import service from './index.js'" into a generated file: not an import of its own.
    expect(of('cli/commands/new-service.ts')).not.toContain('cli/commands/index.ts');
  });

  it('has no import cycle anywhere in src/', () => {
    const cycles = findCycles(importGraph(sourceFiles(src))).map((cycle) => cycle.map((f) => relative(src, f)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
