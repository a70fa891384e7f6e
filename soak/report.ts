/** The soak's report (RELIABILITY.md) and its verdict: what must be zero, and is not. */
import { cpus, release, totalmem } from 'node:os';
import type { AbuseTally } from './abuse.js';
import type { DiskFullResult } from './disk-full.js';
import type { FuzzResult } from './fuzz.js';
import type { LeakWatch } from './hostile.js';
import type { MessageRecord } from './ledger.js';
import { trend, type Sample } from './samples.js';
import type { SerialResult } from './serial-line.js';
import type { ServeProcess } from './serve.js';
import type { Stats } from './user.js';

export interface SoakRun {
  started: Date;
  /** The short mode: timing findings warn instead of failing (timingFindings). */
  short: boolean;
  command: string;
  minutes: number;
  loadSeconds: number;
  sessions: number;
  thinkMs: number;
  servers: ServeProcess[];
  postgres: boolean;
  stats: Stats;
  leaks: LeakWatch;
  hostileShare: number;
  books: { sent: number; confirmed: number; delivered: number; stored: number; lost: MessageRecord[] };
  refused: number;
  strangers: number;
  strangerExamples: string[];
  unreadAtEnd: number;
  integrityA: string;
  faults: string[];
  samples: Map<string, Sample[]>;
  abuse: AbuseTally;
  serial: SerialResult | undefined;
  disk: DiskFullResult | undefined;
  fuzz: FuzzResult;
}

const total = (map: Map<string, number>): number => [...map.values()].reduce((a, b) => a + b, 0);
const n = (value: number): string => Math.round(value).toLocaleString('en-US');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const signed = (value: number, digits = 1): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

/**
 * What a run found that is timing: flow steps that did not come in time
 * outside fault windows, abusive clients whose close came late. On the
 * recorded run they fail it; in the short mode (CI, a 2-core machine that
 * just ran the whole test suite) they are printed as warnings, and only
 * what may never happen whatever the machine (a loss, a crash, a leak to
 * another terminal, a corrupt database, a decoder exception) fails it.
 */
export function timingFindings(run: SoakRun): string[] {
  const findings: string[] = [];
  if (total(run.stats.failures) > 0) findings.push(`${total(run.stats.failures)} flow failure(s) outside faults: ${[...run.stats.failures.keys()].join(', ')}`);
  if (run.abuse.unexpected.length > 0) findings.push(`${run.abuse.unexpected.length} abuse outcome(s) other than documented: ${run.abuse.unexpected.slice(0, 5).join('; ')}`);
  return findings;
}

/** Screens kept in the report for failures during faults: the commonest kinds say what users saw; more is noise. */
const FAULT_SCREENS = 6;

/** Everything that must be zero (or true) for the run to pass; `timing` adds timingFindings. */
export function verdict(run: SoakRun, timing = true): string[] {
  const problems: string[] = timing ? timingFindings(run) : [];
  const crashes = run.servers.flatMap((s) => s.crashes);
  if (crashes.length > 0) problems.push(`${crashes.length} crash(es): ${crashes.join(' | ')}`);
  if (run.books.lost.length > 0) problems.push(`${run.books.lost.length} confirmed message(s) lost`);
  if (run.strangers > 0) problems.push(`${run.strangers} message(s) read by someone else than their recipient`);
  if (run.leaks.found > 0) problems.push(`${run.leaks.found} control sequence(s) from user text reached another terminal`);
  if (run.integrityA !== 'ok') problems.push(`SQLite integrity_check after the run: ${run.integrityA}`);
  if (run.disk) {
    if (run.disk.crashed) problems.push('the instance crashed on a full disk');
    if (run.disk.integrity !== 'ok') problems.push(`integrity_check after the full disk: ${run.disk.integrity}`);
    if (run.disk.lost.length > 0) problems.push(`${run.disk.lost.length} confirmed message(s) lost on the full disk`);
    if (!run.disk.servesAfterRestart) problems.push('the instance did not serve again once the disk had room');
  } else problems.push('the disk-full phase did not run to its end');
  if (run.serial && run.serial.failures.length > 0) problems.push(`serial line: ${run.serial.failures.join('; ')}`);
  if (run.fuzz.failures.length > 0) problems.push(`${run.fuzz.failures.length} decoder failure(s) on fuzzed streams`);
  return problems;
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
}

function mapRows(map: Map<string, number>): string[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `| ${kind} | ${n(count)} |`);
}

/** The error of a log line, on one line, without its stack: what a reader needs to see the cause. */
function causeOf(entry: Record<string, unknown> | undefined): string {
  if (entry === undefined) return '';
  const err = entry.err as { message?: unknown } | undefined;
  const text = typeof err?.message === 'string' ? err.message : typeof entry.error === 'string' ? entry.error : '';
  return text.replace(/postgres:\/\/[^ ]*/g, 'postgres://…').replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 200);
}

export function report(run: SoakRun): string {
  const { stats, books } = run;
  const problems = verdict(run, !run.short);
  const warnings = run.short ? timingFindings(run) : [];
  const lines: string[] = [];
  const push = (...more: string[]): void => void lines.push(...more);
  const crashes = run.servers.flatMap((s) => s.crashes);
  push(
    '# Reliability',
    '',
    'Figures from `npm run soak` (soak/): real `teletel serve` processes and real sockets, simulated',
    'Minitels (the project\'s Terminal as client) doing whole flows, faults and abuse injected during the',
    'load, then the books. It is not part of `npm test`; `npm run soak -- --short` (2 minutes) runs in CI.',
    '',
    `## The run of ${run.started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${run.command}\``,
    `- Machine: ${machine()}`,
    `- Load: ${n(run.sessions)} simulated Minitels for ${(run.loadSeconds / 60).toFixed(1)} min over WebSocket (mean pause between screens ${(run.thinkMs / 1000).toFixed(1)} s), on ${run.servers.length} instances: ${run.servers.map((s) => s.options.name).join(', ')}${run.postgres ? '' : ' (PostgreSQL was not reachable: no PostgreSQL instances or faults)'}`,
    `- Verdict: ${problems.length === 0 ? '**passed**' : `**failed**: ${problems.join('; ')}`}${warnings.length > 0 ? ` (short mode, timing warnings: ${warnings.join('; ')})` : ''}`,
    '',
    '| Result | Figure |',
    '|---|---|',
    `| crashes (an instance exiting unasked) | ${crashes.length} |`,
    `| confirmed private messages lost | ${books.lost.length} |`,
    `| control sequences from user text reaching another terminal | ${run.leaks.found} (of ${n(run.leaks.checked)} chunks carrying hostile text checked) |`,
    `| flow failures outside faults | ${n(total(stats.failures))} |`,
    `| abuse with an outcome other than documented | ${run.abuse.unexpected.length} (of ${n(total(run.abuse.runs))} abusive clients) |`,
    `| decoder exceptions on fuzzed streams | ${run.fuzz.failures.length} (of ${n(run.fuzz.streams)}) |`,
    `| SQLite \`PRAGMA integrity_check\` after the run | ${run.integrityA} |`,
    '',
    '### Load',
    '',
    '| | |',
    '|---|---|',
    `| connections (a user dials again after Connexion/Fin, and after a drop) | ${n(stats.connections)} |`,
    `| keys sent | ${n(stats.keys)} (${n(stats.keys / run.loadSeconds)}/s) |`,
    `| bytes received by the Minitels | ${mb(stats.bytesReceived)} MB |`,
    ...[...stats.steps.entries()].map(([step, count]) => `| ${step} visits completed | ${n(count)} |`),
    `| CHAT room lines said | ${n(stats.roomLines)} |`,
    `| lines and messages carrying control bytes and sequences (${Math.round(run.hostileShare * 100)} %) | ${n(stats.hostileSent)} |`,
    '',
    '### Private messages, end to end',
    '',
    'Each message carries an id. Confirmed: the sender saw "Message envoyé à …". Delivered: the recipient',
    'opened it in the BAL (and deleted it). Stored: still in a BAL at the end (SQLite file and PostgreSQL',
    'read directly). After the load, every recipient with confirmed messages not yet read reads the BAL.',
    '',
    '| sent | confirmed | refused with a message (BAL full, flood) | delivered | left stored | **lost** |',
    '|---|---|---|---|---|---|',
    `| ${n(books.sent)} | ${n(books.confirmed)} | ${n(run.refused)} | ${n(books.delivered)} | ${n(books.stored)} | **${books.lost.length}** |`,
    '',
  );
  if (books.lost.length > 0) push('Lost:', '', ...books.lost.slice(0, 50).map((r) => `- ${r.id} ${r.from} → ${r.to} (${r.store})`), '');
  if (run.strangers > 0) push('Read by someone else than the recipient:', '', ...run.strangerExamples.slice(0, 20).map((s) => `- ${s}`), '');
  if (run.unreadAtEnd > 0) push(`${run.unreadAtEnd} confirmed message(s) were neither read nor found by the last pass's reading, and are counted by the store check above.`, '');

  push('### Faults injected during the load', '');
  push(...(run.faults.length > 0 ? run.faults.map((f) => `- ${f}`) : ['- none (the run was too short or had no PostgreSQL)']));
  push(
    '',
    'A flow step that fails on an instance under a fault, or in the minute after it while its users dial back (its link dropped,',
    'CHAT refused with "Service momentanément indisponible" while the database is away), is counted here; the user dials again.',
    'The same failure outside those windows fails the run.',
    '',
  );
  push('| failures during faults | count |', '|---|---|', ...mapRows(stats.failuresDuringFaults), '');
  if (stats.faultSamples.size > 0) {
    push(`<details><summary>What users saw at those failures, one screen for each of the ${FAULT_SCREENS} commonest kinds</summary>`, '');
    const commonest = [...stats.failuresDuringFaults.entries()].sort((a, b) => b[1] - a[1]).slice(0, FAULT_SCREENS);
    for (const [kind] of commonest) {
      const screen = stats.faultSamples.get(kind);
      if (screen !== undefined) push(`\`${kind}\``, '', '```', screen, '```', '');
    }
    push('</details>', '');
  }
  if (total(stats.failures) > 0) {
    const byMinute = new Map<number, number>();
    for (const t of stats.failureTimes) {
      const minute = Math.floor((t - run.started.getTime()) / 60_000);
      byMinute.set(minute, (byMinute.get(minute) ?? 0) + 1);
    }
    push('| failures outside faults | count |', '|---|---|', ...mapRows(stats.failures), '');
    if (byMinute.size > 0) push(`By minute of the run: ${[...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([m, c]) => `${m}: ${c}`).join(', ')}`, '');
    push('What the user saw, one screen per kind:', '');
    for (const [kind, screen] of stats.samples) push(`\`${kind}\``, '', '```', screen, '```', '');
  }

  push('### Memory, descriptors and timers', '');
  push('Sampled from each instance\'s /metrics; trend = least-squares slope over the longest process life after', 'a 5-minute warm-up (1 minute in short runs), per hour. The load cycles users, so sessions vary.', '');
  push('| instance | minutes | RSS MB (first → last, slope/h) | heap MB | open fds | handles | timers keeping the loop alive | sessions | worst event-loop lag p99 |', '|---|---|---|---|---|---|---|---|---|');
  const warmup = run.minutes >= 10 ? 5 * 60_000 : 60_000;
  for (const [name, list] of run.samples) {
    const t = trend(list, warmup);
    if (!t) {
      push(`| ${name} | — | too few samples | | | | | |`);
      continue;
    }
    push(
      `| ${name} | ${t.minutes.toFixed(1)} | ${mb(t.rss[0])} → ${mb(t.rss[1])} (${signed(t.rssPerHour / 2 ** 20)}) | ${mb(t.heap[0])} → ${mb(t.heap[1])} (${signed(t.heapPerHour / 2 ** 20)}) | ${t.fds[0]} → ${t.fds[1]} (${signed(t.fdsPerHour, 0)}) | ${t.handles[0]} → ${t.handles[1]} (${signed(t.handlesPerHour, 0)}) | ${t.timers[0]} → ${t.timers[1]} (${signed(t.timersPerHour, 0)}) | ${t.sessions[0]} → ${t.sessions[1]} | ${(t.lagMax * 1000).toFixed(0)} ms |`,
    );
  }
  push('');

  push('### Abuse mixed into the load', '');
  push('| abusive client | runs |', '|---|---|', ...mapRows(run.abuse.runs), '');
  if (run.abuse.unexpected.length > 0) push(...run.abuse.unexpected.map((u) => `- ${u}`), '');
  push(
    'User text: a share of room lines and private messages carry PRO1/PRO2/PRO3 commands (local echo off,',
    'lower case, PROG, ENQROM, RESET), DRCS headers and designations, clear screen, CSI, shifts, NUL, DEL and',
    'function-key codes, around the marker "ZQ". Every chunk a Minitel received holding the marker is',
    'checked for those sequences, and the receiving terminal\'s state before and after it is compared.',
    'Pseudonyms, recipients and room names accept letters, digits, - and _ only (the form refuses the rest).',
    '',
  );
  if (run.leaks.found > 0) push(...run.leaks.leaks.slice(0, 20).map((l) => `- ${l}`), '');

  if (run.serial) {
    push('### Serial line', '');
    push(`A Minitel on a socat pty pair doing GUIDE and back: ${n(run.serial.rounds)} rounds, unplugged ${run.serial.unplugs} time(s); home page again ${run.serial.backAfter.map((s) => `${s.toFixed(1)} s`).join(', ') || '—'} after plugging back.${run.serial.failures.length > 0 ? ` Failures: ${run.serial.failures.join('; ')}` : ''}`, '');
  }

  push('### SQLite on a full disk', '');
  if (run.disk) {
    const d = run.disk;
    push(
      'An instance whose files may not grow (`ulimit -f`, SIGXFSZ ignored: writes fail with EFBIG as on a full disk); a CHAT user sends private messages until the store refuses.',
      '',
      `- confirmed before the disk filled: ${d.confirmed}; lost: ${d.lost.length}`,
      `- what the user saw when it filled: ${d.refusedShown.length > 0 ? [...new Set(d.refusedShown)].map((s) => `"${s}"`).join(', ') : '—'}`,
      `- the process: ${d.crashed ? '**crashed**' : 'stayed up'}; \`PRAGMA integrity_check\`: ${d.integrity}; serves again once the disk has room: ${d.servesAfterRestart ? 'yes' : '**no**'}`,
      ...d.notes.map((note) => `- note: ${note}`),
      '',
    );
  } else push('The phase did not complete.', '');

  const f = run.fuzz;
  push('### Decoder against fuzzed streams', '');
  push(
    `${n(f.streams)} streams (${mb(f.bytes)} MB) in ${f.seconds.toFixed(0)} s: ${f.corpus ? 'slices of the corpus pages mutated (bit flips; escape, US, REP, long CSI, SS2, DRCS and PRO bytes inserted; pieces repeated; cuts), and one in ten random bytes' : 'random bytes only (the corpus was not found)'}. Exceptions: ${f.failures.length}.`,
    '',
    `- median cost: ${f.medianNsPerByte.toFixed(1)} ns per byte (streams of 256 bytes and more, timed one by one, reset included not)`,
  );
  if (f.slowest) {
    push(
      `- slowest stream per KB: ${((f.slowest.nsPerByte * 1024) / 1000).toFixed(0)} µs/KB (${f.slowest.length} bytes, ${f.slowest.kind}; starts \`${f.slowest.hexStart}\`), best of five re-timings`,
      `- the same stream repeated 1×, 4×, 16×: ${f.scaling.map(([copies, ns]) => `${copies}× ${((ns * 1024) / 1000).toFixed(0)} µs/KB`).join(', ')} — flat means linear, no quadratic path`,
    );
  }
  if (f.failures.length > 0) push('', ...f.failures.map((x) => `- ${x}`));
  push('');

  push('### Log lines at error level, by message', '');
  const errorRows = run.servers.flatMap((s) =>
    [...s.errors.entries()].map(([msg, count]) => `| ${s.options.name} | ${msg} | ${n(count)} | ${causeOf(s.errorExamples.get(msg)?.[0])} |`),
  );
  push(...(errorRows.length > 0 ? ['| instance | message | count | first cause |', '|---|---|---|---|', ...errorRows] : ['none']), '');
  return `${lines.join('\n')}\n`;
}
