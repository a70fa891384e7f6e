import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { fakeIo, tempFolder } from '../../test-support/fake-io.js';
import { loadServiceFolder } from '../../server/service-folder.js';
import { connect } from '../../sdk/testing.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { codeFromName, scaffoldService, sdkSpecifiers } from './new-service.js';

const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));

describe('teletel new-service', () => {
  it('scaffolds a TypeScript service and its test that run as they are', async () => {
    const root = tempFolder();
    const base = relative(join(root, 'meteo'), SDK).split('\\').join('/');
    const files = await scaffoldService({ root, name: 'meteo', code: 'METEO', pages: false, sdk: { index: `${base}/index.ts`, testing: `${base}/testing.ts` } });
    expect(files.map((f) => relative(root, f))).toEqual([join('meteo', 'index.ts'), join('meteo', 'index.test.ts')]);
    const service = await loadServiceFolder(join(root, 'meteo'));
    expect(service.code).toBe('METEO');
    // What the scaffolded test does.
    const m = connect(service);
    await m.waitForText('Votre nom ?');
    await m.type('Ana');
    await m.press('Envoi');
    expect(m.rowZero()).toBe('Bonjour Ana !');
    expect(readFileSync(files[1], 'utf8')).toContain("expect(m.rowZero()).toBe('Bonjour Ana !');");
  });

  it('scaffolds a service.json service with two linked pages, valid as written', async () => {
    const io = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['new-service', 'ma-meteo', '--pages'], io)).toBe(0);
    expect(io.stdoutText()).toContain('Created the service MAMETEO:');
    const service = await loadServiceFolder(join(io.cwd, 'services', 'ma-meteo'));
    const store = openSqliteStore(':memory:');
    const m = connect(service, { store });
    await m.waitForText('Bienvenue !');
    await m.type('1');
    await m.press('Envoi');
    await m.waitForText('La page suivante.');
    await m.press('Retour');
    await m.waitForText('Bienvenue !');
    await store.close();
  });

  it('refuses bad names and codes, and an existing folder without --force', async () => {
    const io = fakeIo({ cwd: tempFolder() });
    expect(await runCli(['new-service', 'Meteo!'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/not a service folder name/);
    expect(await runCli(['new-service', 'meteo', '--code', 'bad code'], io)).toBe(2);
    expect(io.stderrText()).toMatch(/not a service code/);
    expect(await runCli(['new-service', 'meteo', '--pages'], io)).toBe(0);
    expect(await runCli(['new-service', 'meteo', '--pages'], io)).toBe(1);
    expect(io.stderrText()).toMatch(/already exists; choose another name or add --force/);
    expect(await runCli(['new-service', 'meteo', '--pages', '--force'], io)).toBe(0);
  });

  it('derives the code from the name and imports the SDK by package name outside the Teletel repository', () => {
    expect(codeFromName('ma-meteo-2')).toBe('MAMETEO2');
    expect(codeFromName('un-nom-vraiment-tres-long')).toHaveLength(16);
    expect(sdkSpecifiers(tempFolder())).toEqual({ index: 'teletel/sdk', testing: 'teletel/sdk/testing' });
    expect(sdkSpecifiers(join(SDK, '..', '..', 'services', 'x'))).toEqual({ index: '../../src/sdk/index.js', testing: '../../src/sdk/testing.js' });
  });
});
