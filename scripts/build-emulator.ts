/**
 * Bundles the browser emulator into static files that `teletel serve` shows
 * at `/` and that any site can embed:
 *
 *   dist/public/minitel-terminal.js      <minitel-terminal>, ESM, minified
 *   dist/public/minitel-terminal.js.map  its source map
 *   dist/public/index.html               the element full-page, connected to
 *                                        ws(s)://<this host>/ws (?url=CODE passed on)
 *
 * Run by `npm run build` after tsc; `tsx scripts/build-emulator.ts [OUT_DIR]`.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EMULATOR_ENTRY = join(repository, 'src', 'terminal', 'main.ts');
export const DEFAULT_OUT_DIR = join(repository, 'dist', 'public');
export const BUNDLE_NAME = 'minitel-terminal.js';

/**
 * The page at `/`. Query parameters: url=CODE opens that service directly
 * (passed to the gateway as /ws?url=CODE); speed, model, colour and scale set
 * the element's attributes of the same names.
 */
export const INDEX_HTML = `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="dark">
<title>Télétel</title>
<style>
  html, body { margin: 0; height: 100%; background: #111; }
  minitel-terminal { height: 100vh; height: 100dvh; }
</style>
<script type="module" src="${BUNDLE_NAME}"></script>
</head>
<body>
<minitel-terminal id="minitel" scale="auto" bezel resume></minitel-terminal>
<script>
(function () {
  var element = document.getElementById('minitel');
  var query = new URLSearchParams(location.search);
  ['speed', 'model', 'colour', 'scale'].forEach(function (name) {
    var value = query.get(name);
    if (value !== null) element.setAttribute(name, value);
  });
  var code = query.get('url');
  var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  element.setAttribute('url', scheme + '//' + location.host + '/ws' + (code ? '?url=' + encodeURIComponent(code) : ''));
  customElements.whenDefined('minitel-terminal').then(function () { element.focus(); });
})();
</script>
</body>
</html>
`;

export interface BuiltEmulator {
  outDir: string;
  files: { path: string; bytes: number }[];
}

export async function buildEmulator(outDir: string = DEFAULT_OUT_DIR): Promise<BuiltEmulator> {
  await mkdir(outDir, { recursive: true });
  const bundle = join(outDir, BUNDLE_NAME);
  await build({
    entryPoints: [EMULATOR_ENTRY],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const index = join(outDir, 'index.html');
  await writeFile(index, INDEX_HTML);
  const files = await Promise.all(
    [bundle, `${bundle}.map`, index].map(async (path) => ({ path, bytes: (await stat(path)).size })),
  );
  return { outDir, files };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outDir = resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  const built = await buildEmulator(outDir);
  for (const file of built.files) {
    console.log(`${file.path.replace(`${repository}/`, '')}  ${(file.bytes / 1024).toFixed(1)} kB`);
  }
}
