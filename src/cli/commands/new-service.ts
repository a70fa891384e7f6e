/**
 * `teletel new-service NAME`: a service folder to start from, in
 * ./services/NAME: a TypeScript service with its test, or with --pages a
 * service.json service with two pages. `teletel serve --dev` picks it up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { VideotexBuilder } from '../../videotex/builder.js';
import { COLOUR } from '../../videotex/codes.js';
import { SERVICE_CODE } from '../../sdk/define.js';
import { CliError, EXIT, type Command } from '../command.js';
import { describeFsError } from '../files.js';

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

export interface ScaffoldOptions {
  /** The folder that holds services (the new one is created inside). */
  root: string;
  name: string;
  code: string;
  pages: boolean;
  /** Module specifiers the TypeScript service imports the SDK and its testing helpers from. */
  sdk?: { index: string; testing: string };
  force?: boolean;
}

/** The code from a folder name: "ma-meteo" → "MAMETEO" (capitals and digits, at most 16). */
export function codeFromName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 16);
}

/**
 * How the new service imports the SDK: 'teletel/sdk' in a project that
 * depends on Teletel; a relative path inside the Teletel repository itself.
 */
export function sdkSpecifiers(folder: string): { index: string; testing: string } {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
        if (json.name === 'teletel' && existsSync(join(dir, 'src', 'sdk', 'index.ts'))) {
          const base = relative(resolve(folder), join(dir, 'src', 'sdk')).split(sep).join('/');
          return { index: `${base}/index.js`, testing: `${base}/testing.js` };
        }
      } catch {
        // An unreadable package.json: use the package name.
      }
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return { index: 'teletel/sdk', testing: 'teletel/sdk/testing' };
}

function title(name: string): string {
  return name.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function serviceSource(code: string, name: string, sdk: string): string {
  return `import { defineService, VideotexBuilder } from '${sdk}';

const welcome = new VideotexBuilder().clear().moveTo(3, 2).doubleHeight().text('${code}').normalSize().moveTo(6, 2).text('Votre nom ?');

export default defineService({
  code: '${code}',
  name: '${title(name)}',
  description: 'À décrire : ce que le service offre, en une ou deux phrases.',
  keywords: [],
  async session(s) {
    await s.show(welcome);
    const { nom } = await s.form({ nom: { row: 8, column: 2, length: 20, required: true } });
    s.notify(\`Bonjour \${nom} !\`);
    await s.waitKey('Envoi');
  },
});
`;
}

function testSource(testing: string): string {
  return `import { expect, it } from 'vitest';
import { connect } from '${testing}';
import service from './index.js';

it('greets the user by name', async () => {
  const m = connect(service);
  await m.waitForText('Votre nom ?');
  await m.type('Ana');
  await m.press('Envoi');
  expect(m.rowZero()).toBe('Bonjour Ana !');
});
`;
}

function pagesJson(code: string, name: string): string {
  const json = {
    code,
    name: title(name),
    description: 'À décrire : ce que le service offre, en une ou deux phrases.',
    keywords: [],
    tariff: 'free',
    pages: {
      accueil: { file: 'accueil.vdt', choices: { '1': 'suite' } },
      suite: { file: 'suite.vdt', keys: { Retour: 'accueil' } },
    },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function page(code: string, lines: string[], footer: string): Uint8Array {
  const b = new VideotexBuilder().clear().cursor(false);
  b.moveTo(1, 1).foreground(COLOUR.WHITE).background(COLOUR.BLUE).text(` ${code}`.padEnd(40)).background(COLOUR.BLACK);
  lines.forEach((line, i) => b.moveTo(4 + i * 2, 1).foreground(COLOUR.WHITE).text(` ${line}`));
  b.moveTo(24, 1).foreground(COLOUR.CYAN).text(` ${footer}`);
  return b.toBytes();
}

/** Writes the folder; returns the files created. Refuses to overwrite unless `force`. */
export async function scaffoldService(options: ScaffoldOptions): Promise<string[]> {
  const folder = join(options.root, options.name);
  if (existsSync(folder) && !options.force) {
    throw new CliError(`${folder} already exists; choose another name or add --force to overwrite its files.`);
  }
  const files: [string, string | Uint8Array][] = options.pages
    ? [
        ['service.json', pagesJson(options.code, options.name)],
        ['accueil.vdt', page(options.code, ['Bienvenue !', '1  La page suivante'], 'Tapez 1 puis ENVOI')],
        ['suite.vdt', page(options.code, ['La page suivante.', 'Dessinez vos pages dans un éditeur', 'et reliez-les dans service.json.'], 'RETOUR : accueil')],
      ]
    : (() => {
        const sdk = options.sdk ?? sdkSpecifiers(folder);
        return [
          ['index.ts', serviceSource(options.code, options.name, sdk.index)],
          ['index.test.ts', testSource(sdk.testing)],
        ] as [string, string][];
      })();
  try {
    await mkdir(folder, { recursive: true });
    for (const [file, content] of files) await writeFile(join(folder, file), content);
  } catch (error) {
    throw new CliError(describeFsError(error, folder));
  }
  return files.map(([file]) => join(folder, file));
}

export const newServiceCommand: Command = {
  name: 'new-service',
  summary: 'create a service folder to start from (TypeScript, or service.json pages)',
  help: `Usage: teletel new-service NAME [--pages] [--code CODE] [--dir DIR] [--force]

Creates DIR/NAME (DIR is ./services by default), a service ready to run with
'teletel serve --dev':

  (default)      index.ts, a TypeScript service with a page and a form,
                 and index.test.ts, its test on a virtual Minitel
  --pages        service.json and two .vdt pages: a service without code,
                 for pages drawn in an editor

  --code CODE    the code typed after 3615 (default: NAME in capitals)
  --dir DIR      the services folder (default: services)
  --force        write into an existing folder

NAME is lower-case letters, digits and '-', starting with a letter.
`,
  options: {
    pages: { type: 'boolean' },
    code: { type: 'string' },
    dir: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const name = args.positionals[0];
    if (!NAME.test(name)) {
      throw new CliError(`'${name}' is not a service folder name: use lower-case letters, digits and '-', starting with a letter (at most 32).`, EXIT.USAGE, 'TELETEL_E_USAGE');
    }
    const code = typeof args.values.code === 'string' ? args.values.code : codeFromName(name);
    if (!SERVICE_CODE.test(code)) {
      throw new CliError(`'${code}' is not a service code: use 1 to 16 capital letters or digits.`, EXIT.USAGE, 'TELETEL_E_USAGE');
    }
    const root = resolve(io.cwd, typeof args.values.dir === 'string' ? args.values.dir : 'services');
    const files = await scaffoldService({ root, name, code, pages: Boolean(args.values.pages), force: Boolean(args.values.force) });
    const shown = files.map((file) => `  ${relative(io.cwd, file)}`).join('\n');
    io.stdout.write(`Created the service ${code}:\n${shown}\n\nRun it with: teletel serve --dev\n`);
  },
};
