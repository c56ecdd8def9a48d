// `npm run setup`: installs the dependencies exactly as locked (`npm ci`) with npm itself running on
// the project's Node, the version pinned by the `node` dev dependency. npm checks every package's
// `engines` against the Node it runs on, so on a machine whose own `node` is older (Debian's Node 20)
// a plain `npm ci` warns (EBADENGINE) about the packages that need Node 22, although every npm script
// then runs on the Node 24 that the install put into node_modules/.bin. Here npm is started through
// `npm exec --package=node@<pinned>`, which puts that Node first on the PATH of the `npm` it runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const pinned = pkg.devDependencies.node;
const install = ['ci', '--no-audit', '--no-fund'];
const args = process.version === `v${pinned}` ? install : ['exec', '--yes', `--package=node@${pinned}`, '--', 'npm', ...install];

const result = spawnSync('npm', args, { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
