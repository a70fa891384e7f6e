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

/** Offsets shown for a rule in the grouped view; --verbose lists every finding. */
const OFFSETS_SHOWN = 3;

function offsetText(offset: number): string {
  return `${offset} (0x${offset.toString(16).toUpperCase()})`;
}

function headline(name: string, report: LintReport): string {
  const [slow, ...fast] = LINT_SPEEDS;
  return `${name}: ${plural(report.bytes, 'byte')}, ${seconds(report.seconds[slow])} at ${slow} baud (${fast.map((baud) => `${seconds(report.seconds[baud])} at ${baud}`).join(', ')})`;
}

function totals(report: LintReport): string {
  return report.errors + report.warnings === 0 ? '  clean' : `  ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`;
}

/**
 * A report as people read it: one line per rule that fired, errors first,
 * with how often, what the rule means, the first finding's own message and
 * the first offsets. A real 1980s page can trip one rule hundreds of times
 * (g1-blank, syn): the grouped view keeps that to one line. `verbose` lists
 * every finding instead (at most MAX_FINDINGS_PER_RULE of each rule).
 */
export function formatReport(name: string, report: LintReport, options: { verbose?: boolean } = {}): string {
  const lines = [headline(name, report)];
  if (options.verbose === true) {
    const width = Math.max(0, ...report.findings.map((f) => f.rule.length));
    for (const f of report.findings) {
      lines.push(`  ${f.severity.padEnd(7)}  offset ${offsetText(f.offset).padEnd(18)}  ${f.rule.padEnd(width)}  ${f.message} [${f.reference}]`);
    }
    for (const id of RULE_IDS) {
      const count = report.counts[id] ?? 0;
      if (count > MAX_FINDINGS_PER_RULE) lines.push(`  … and ${count - MAX_FINDINGS_PER_RULE} more ${id} (${count} in all)`);
    }
  } else {
    const fired = RULE_IDS.filter((id) => (report.counts[id] ?? 0) > 0).sort(
      (a, b) => Number(RULES[a].severity !== 'error') - Number(RULES[b].severity !== 'error'),
    );
    const width = Math.max(0, ...fired.map((id) => id.length));
    for (const id of fired) {
      const count = report.counts[id] ?? 0;
      const found = report.findings.filter((f) => f.rule === id);
      const offsets = found.slice(0, OFFSETS_SHOWN).map((f) => f.offset);
      const more = count > offsets.length ? ', …' : '';
      const first = found[0] === undefined ? '' : `; first: ${found[0].message}`;
      lines.push(
        `  ${RULES[id].severity.padEnd(7)}  ${id.padEnd(width)}  ×${String(count).padEnd(4)} ${RULES[id].summary}${first} — at ${offsets.join(', ')}${more} [${RULES[id].reference}]`,
      );
    }
  }
  lines.push(totals(report));
  return `${lines.join('\n')}\n`;
}

/** The closing line when several pages were linted. */
export function formatSummary(reports: readonly LintReport[]): string {
  const withErrors = reports.filter((r) => r.errors > 0).length;
  const warnedOnly = reports.filter((r) => r.errors === 0 && r.warnings > 0).length;
  const clean = reports.length - withErrors - warnedOnly;
  const errors = reports.reduce((sum, r) => sum + r.errors, 0);
  const warnings = reports.reduce((sum, r) => sum + r.warnings, 0);
  return `${plural(reports.length, 'page')}: ${withErrors} with errors, ${warnedOnly} with warnings only, ${clean} clean (${plural(errors, 'error')}, ${plural(warnings, 'warning')} in all)\n`;
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
