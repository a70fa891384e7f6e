/**
 * Copies the data files services read at run time (articles, the directory
 * dataset, gallery pages) next to the compiled code, so `npm start` (which
 * runs dist/) finds them where the sources do.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const services = join(root, 'src', 'services');
let copied = 0;
for (const name of readdirSync(services)) {
  const data = join(services, name, 'data');
  if (!existsSync(data)) continue;
  cpSync(data, join(root, 'dist', 'services', name, 'data'), { recursive: true });
  copied++;
}
console.log(`copied the data of ${copied} services into dist/services`);
