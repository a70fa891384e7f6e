/** Lint reports as text for people and as JSON for tools. */
import type { LintReport } from './analyse.js';
import { MAX_FINDINGS_PER_RULE } from './analyse.js';
import { RULE_IDS, RULES } from './rules.js';
import { LINT_SPEEDS } from './timing.js';

function seconds(s: number): string {
  return `${s.toFixed(2)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatReport(name: string, report: LintReport): string {
  const lines: string[] = [];
  const [slow, ...fast] = LINT_SPEEDS;
  lines.push(
    `${name}: ${plural(report.bytes, 'byte')}, ${seconds(report.seconds[slow])} at ${slow} baud (${fast.map((baud) => `${seconds(report.seconds[baud])} at ${baud}`).join(', ')})`,
  );
  const width = Math.max(0, ...report.findings.map((f) => f.rule.length));
  for (const f of report.findings) {
    const offset = `${f.offset} (0x${f.offset.toString(16).toUpperCase()})`;
    lines.push(`  ${f.severity.padEnd(7)}  offset ${offset.padEnd(18)}  ${f.rule.padEnd(width)}  ${f.message} [${f.reference}]`);
  }
  for (const id of RULE_IDS) {
    const count = report.counts[id] ?? 0;
    if (count > MAX_FINDINGS_PER_RULE) lines.push(`  … and ${count - MAX_FINDINGS_PER_RULE} more ${id} (${count} in all)`);
  }
  lines.push(report.errors + report.warnings === 0 ? '  clean' : `  ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

export function reportJson(name: string, report: LintReport): object {
  return { file: name, ...report };
}

/** The rule table for `teletel help lint`. */
export function rulesHelp(): string {
  const width = Math.max(...RULE_IDS.map((id) => id.length));
  return RULE_IDS.map((id) => {
    const rule = RULES[id];
    return `  ${id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.reference}\n  ${' '.repeat(width)}  ${rule.summary}`;
  }).join('\n');
}
