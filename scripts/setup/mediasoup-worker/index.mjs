// Provides a mediasoup-worker binary for the installed mediasoup version.
//
// mediasoup's own postinstall cannot be relied on: npm 11 skips it (allowScripts), its prebuilt
// binary comes from GitHub, and its source fallback downloads meson, invoke and every C++
// dependency. So the binary is resolved here and cached per mediasoup version outside the repo
// (source builds are byte-identical, so a cached binary never goes stale):
//   1. MEDIASOUP_WORKER_BIN, when it names an existing file;
//   2. the cached binary;
//   3. mediasoup's official prebuilt binary, which is what machines with internet get;
//   4. an offline build of node_modules/mediasoup/worker against Debian 12 packages, after
//      porting it from meson subprojects to system libraries (see PORT below).
//
// Runs on Node 18+ with builtins only: it has to work before anything else is installed.
// Also runnable directly: `node scripts/setup/mediasoup-worker/index.mjs` prints the path.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// mediasoup-worker exits with 41 when MEDIASOUP_VERSION is missing from its environment, before
// doing anything else: proof that the binary loads and links on this host (mediasoup's
// npm-scripts.mjs checks its prebuilt binaries the same way).
const EXIT_MISSING_VERSION = 41;

// Offline, the download must give up quickly; online, a slow link still needs time for the body.
const PREBUILT_RESPONSE_TIMEOUT_MS = 20_000;
const PREBUILT_BODY_TIMEOUT_MS = 120_000;

const BUILD_TOOLS = ['meson', 'ninja', 'pkg-config', 'flatc', 'c++'];
const BUILD_PKG_CONFIG_MODULES = [
  'libuv',
  'openssl',
  'libsrtp2',
  'flatbuffers',
  'absl_strings',
  'absl_optional',
  'absl_flat_hash_map',
];
const BUILD_APT_PACKAGES =
  'meson ninja-build pkg-config g++ libuv1-dev libssl-dev libsrtp2-dev libflatbuffers-dev flatbuffers-compiler libabsl-dev';
const BUILD_PROGRESS_INTERVAL_MS = 60_000;

// Where ./compat (headers for libraries Debian lacks or ships with an older API) is copied inside
// the worker tree, so that the meson edits can name it relative to the source tree.
const COMPAT_DIR = 'rehearse-compat';

const subprojectCall = (variable, name, replacement) => ({
  what: `subproject('${name}') call`,
  find: new RegExp(`${variable} = subproject\\(\\s*'${name}',\\s*default_options: \\[[^\\]]*\\],?\\s*\\)`),
  replace: replacement,
});

// Every `<proj>.get_variable('<name>_dep')` of a replaced subproject becomes the plain variable
// `<name>_dep` that the replacements define.
const subprojectDependencyLookups = {
  what: "get_variable('..._dep') of a replaced subproject",
  find: /\b(?:libuv|openssl|libsrtp3|flatbuffers|abseil_cpp)_proj\.get_variable\('(\w+_dep)'\)/,
  replace: '$1',
  all: true,
};

// The port of mediasoup 3.27's worker to Debian 12's packages. Every edit must match (exactly
// once unless `all`), so a mediasoup upgrade that changes any of these lines stops here, naming
// the line, instead of building something half-ported.
const PORT = [
  {
    file: 'meson.build',
    edits: [
      {
        // Debian 12 has meson 1.0.1, which builds this tree fine.
        what: 'meson_version requirement',
        find: /meson_version: '>= 1\.\d+\.\d+'/,
        replace: "meson_version: '>= 1.0.1'",
      },
      subprojectCall('libuv_proj', 'libuv', "libuv_dep = dependency('libuv')"),
      subprojectCall('openssl_proj', 'openssl', "openssl_dep = dependency('openssl')"),
      subprojectCall(
        'libsrtp3_proj',
        'libsrtp3',
        `libsrtp3_dep = declare_dependency(dependencies: dependency('libsrtp2'), include_directories: include_directories('${COMPAT_DIR}'))`,
      ),
      {
        what: "dependency('unordered_dense')",
        find: "dependency('unordered_dense')",
        replace: `declare_dependency(include_directories: include_directories('${COMPAT_DIR}'))`,
      },
      subprojectCall('flatbuffers_proj', 'flatbuffers', "flatbuffers_dep = dependency('flatbuffers')"),
      subprojectCall('abseil_cpp_proj', 'abseil-cpp', "absl_container_dep = dependency('absl_flat_hash_map')"),
      // Static subproject libraries were linked whole into libmediasoup-worker; shared system
      // libraries come in through the dependencies instead.
      {
        what: 'link_whole list of subproject libraries',
        find: /^link_whole = \[[^\]]*\]/m,
        replace: 'link_whole = []',
      },
      {
        what: "link_whole entry abseil_cpp_proj.get_variable('absl_container_lib')",
        find: /\s*abseil_cpp_proj\.get_variable\('absl_container_lib'\),/,
        replace: '',
      },
      subprojectDependencyLookups,
    ],
  },
  {
    file: 'deps/libwebrtc/meson.build',
    edits: [
      subprojectCall(
        'abseil_cpp_proj',
        'abseil-cpp',
        "absl_strings_dep = dependency('absl_strings')\nabsl_types_dep = dependency('absl_optional')",
      ),
      subprojectDependencyLookups,
    ],
  },
  {
    file: 'src/RTC/DtlsTransport.cpp',
    edits: [
      {
        // OpenSSL passes BIO_CB_RETURN OR-ed with the operation, so `==` never matches and
        // every post-call query is answered 1, including BIO_CTRL_GET_KTLS_SEND. Debian's
        // libssl has kernel TLS built in, then skips allocating its write buffer and
        // crashes in SSL_read on the first DTLS handshake (upstream's bundled OpenSSL has
        // no kTLS, which hides the bug).
        what: 'BIO callback return-flag test',
        find: '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
        replace: '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1',
      },
    ],
  },
];

function mediasoupDir(repoRoot) {
  return path.join(path.resolve(repoRoot), 'node_modules', 'mediasoup');
}

function readMediasoupPackage(repoRoot) {
  const file = path.join(mediasoupDir(repoRoot), 'package.json');

  if (!fs.existsSync(file)) {
    throw new Error(`mediasoup is not installed (no ${file}); run npm install first`);
  }

  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function workerCachePath(cacheDir, version) {
  return path.join(path.resolve(cacheDir), 'mediasoup-worker', version, 'mediasoup-worker');
}

export function mediasoupWorkerCachePath({ repoRoot, cacheDir }) {
  return workerCachePath(cacheDir, readMediasoupPackage(repoRoot).version);
}

export async function ensureMediasoupWorker({ repoRoot, cacheDir, log = console.log }) {
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;

  if (fromEnv) {
    if (fs.existsSync(fromEnv)) {
      return path.resolve(fromEnv);
    }

    log(`mediasoup-worker: MEDIASOUP_WORKER_BIN=${fromEnv} does not exist, ignoring it`);
  }

  const pkg = readMediasoupPackage(repoRoot);
  const target = workerCachePath(cacheDir, pkg.version);

  if (fs.existsSync(target) && runsOnThisHost(target)) {
    return target;
  }

  fs.mkdirSync(path.dirname(target), { recursive: true });

  if (!(await installPrebuilt({ pkg, target, log }))) {
    await buildFromSource({
      workerDir: path.join(mediasoupDir(repoRoot), 'worker'),
      version: pkg.version,
      target,
      log,
    });
  }

  return target;
}

function runsOnThisHost(bin) {
  const { status } = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });

  return status === EXIT_MISSING_VERSION;
}

// Copies under a temporary name first so that a reader never sees a half-written binary.
function installAtomically(source, target) {
  const partial = `${target}.partial-${process.pid}`;

  fs.copyFileSync(source, partial);
  fs.chmodSync(partial, 0o755);
  fs.renameSync(partial, target);
}

// Same name and URL as getWorkerPrebuildTarName() and downloadPrebuiltWorker() in mediasoup's
// npm-scripts.mjs.
function prebuiltUrl(pkg) {
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    `${pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}/releases/download`;
  const kernel = os.platform() === 'linux' ? `-kernel${Number(os.release().split('.')[0])}` : '';

  return `${base}/${pkg.version}/mediasoup-worker-${pkg.version}-${os.platform()}-${os.arch()}${kernel}.tgz`;
}

async function download(url) {
  const controller = new AbortController();
  let timer = setTimeout(
    () => controller.abort(new Error(`no response within ${PREBUILT_RESPONSE_TIMEOUT_MS / 1000} s`)),
    PREBUILT_RESPONSE_TIMEOUT_MS,
  );

  try {
    const res = await fetch(url, { signal: controller.signal });

    if (!res.ok) {
      throw new Error(`HTTP ${res.status}`);
    }

    clearTimeout(timer);
    timer = setTimeout(
      () => controller.abort(new Error(`download not finished within ${PREBUILT_BODY_TIMEOUT_MS / 1000} s`)),
      PREBUILT_BODY_TIMEOUT_MS,
    );

    return Buffer.from(await res.arrayBuffer());
  } finally {
    clearTimeout(timer);
  }
}

async function installPrebuilt({ pkg, target, log }) {
  const url = prebuiltUrl(pkg);
  const workDir = fs.mkdtempSync(path.join(path.dirname(target), 'prebuilt-'));

  try {
    const archive = path.join(workDir, 'worker.tgz');

    fs.writeFileSync(archive, await download(url));

    const tar = spawnSync('tar', ['-xzf', archive, '-C', workDir], { encoding: 'utf8' });

    if (tar.status !== 0) {
      throw new Error(`tar failed: ${tar.error?.message ?? tar.stderr.trim()}`);
    }

    const bin = path.join(workDir, 'mediasoup-worker');

    fs.chmodSync(bin, 0o755);

    if (!runsOnThisHost(bin)) {
      throw new Error('the binary does not run on this host');
    }

    installAtomically(bin, target);
    log(`mediasoup-worker: installed the prebuilt binary from ${url}`);

    return true;
  } catch (error) {
    // fetch() hides the network error (DNS, refused, ...) in `cause`; tar's is multi-line.
    const reason = (error.cause?.message ?? error.message).replace(/\s*\n\s*/g, '; ');

    log(`mediasoup-worker: no prebuilt binary (${url}: ${reason}), building from source`);

    return false;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function checkBuildPrerequisites() {
  const missing = [
    ...BUILD_TOOLS.filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error),
    ...BUILD_PKG_CONFIG_MODULES.filter(
      (module) => spawnSync('pkg-config', ['--exists', module], { stdio: 'ignore' }).status !== 0,
    ).map((module) => `pkg-config module ${module}`),
  ];

  if (missing.length > 0) {
    throw new Error(
      `cannot build mediasoup-worker, missing: ${missing.join(', ')}. ` +
        `On Debian 12: apt-get install -y ${BUILD_APT_PACKAGES}`,
    );
  }
}

function countMatches(text, find) {
  return typeof find === 'string' ? text.split(find).length - 1 : (text.match(find) ?? []).length;
}

function applyPort(srcDir, version) {
  for (const { file, edits } of PORT) {
    const filePath = path.join(srcDir, file);
    let text = fs.readFileSync(filePath, 'utf8');

    for (const { what, find, replace, all = false } of edits) {
      const pattern = typeof find === 'string' ? find : new RegExp(find.source, `${find.flags}g`);
      const count = countMatches(text, pattern);

      if (all ? count === 0 : count !== 1) {
        throw new Error(
          `cannot port mediasoup ${version}'s worker: expected ${all ? 'at least one' : 'exactly one'} ` +
            `${what} in worker/${file}, found ${count}. The port in ${path.join(HERE, 'index.mjs')} ` +
            'needs updating for this mediasoup version.',
        );
      }

      text = text.replaceAll(pattern, replace);
    }

    fs.writeFileSync(filePath, text);
  }
}

function readTail(file, bytes) {
  const fd = fs.openSync(file, 'r');

  try {
    const start = Math.max(0, fs.fstatSync(fd).size - bytes);
    const buffer = Buffer.alloc(bytes);

    return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, bytes, start));
  } finally {
    fs.closeSync(fd);
  }
}

function runLogged(command, args, logFile) {
  fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n`);

  const fd = fs.openSync(logFile, 'a');

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd] });

    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (${signal ?? `exit code ${code}`})`)),
    );
  }).finally(() => fs.closeSync(fd));
}

// A ten-minute compile should not look like a hang: report ninja's last [step/total] now and then.
function reportProgress(logFile, log) {
  const timer = setInterval(() => {
    const steps = [...readTail(logFile, 4096).matchAll(/\[(\d+)\/(\d+)\]/g)];
    const last = steps[steps.length - 1];

    if (last) {
      log(`mediasoup-worker: compiling, step ${last[1]} of ${last[2]}`);
    }
  }, BUILD_PROGRESS_INTERVAL_MS);

  timer.unref();

  return () => clearInterval(timer);
}

async function buildFromSource({ workerDir, version, target, log }) {
  checkBuildPrerequisites();

  const buildRoot = path.join(path.dirname(target), 'build');
  const srcDir = path.join(buildRoot, 'worker');
  const outDir = path.join(buildRoot, 'out');
  const logFile = path.join(buildRoot, 'build.log');

  // A failed build is left in place for its log; the next attempt starts clean.
  fs.rmSync(buildRoot, { recursive: true, force: true });
  // subprojects/ only holds wrap files whose job is downloading sources; out/ would be a stale
  // build from mediasoup's own postinstall.
  const skipped = new Set(['subprojects', 'out'].map((dir) => path.join(workerDir, dir)));

  fs.cpSync(workerDir, srcDir, { recursive: true, filter: (source) => !skipped.has(source) });
  fs.cpSync(path.join(HERE, 'compat'), path.join(srcDir, COMPAT_DIR), { recursive: true });
  applyPort(srcDir, version);

  log(`mediasoup-worker: building mediasoup ${version}'s worker from source (4 to 10 min on 2 cores), log: ${logFile}`);

  const startedAt = Date.now();
  const stopProgress = reportProgress(logFile, log);

  try {
    await runLogged(
      'meson',
      ['setup', '--buildtype=release', '-Db_ndebug=true', '--wrap-mode=nofallback', outDir, srcDir],
      logFile,
    );
    await runLogged('ninja', ['-C', outDir, 'mediasoup-worker'], logFile);
  } catch (error) {
    log(`mediasoup-worker: build failed, last lines of ${logFile}:`);
    log(readTail(logFile, 6000).split('\n').slice(-40).join('\n'));

    throw new Error(`mediasoup-worker build failed: ${error.message}; full log: ${logFile}`);
  } finally {
    stopProgress();
  }

  const built = path.join(outDir, 'mediasoup-worker');

  if (!runsOnThisHost(built)) {
    throw new Error(`the mediasoup-worker built in ${outDir} does not run; build log: ${logFile}`);
  }

  installAtomically(built, target);
  fs.rmSync(buildRoot, { recursive: true, force: true });

  log(`mediasoup-worker: built in ${Math.round((Date.now() - startedAt) / 1000)} s: ${target}`);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const bin = await ensureMediasoupWorker({
      repoRoot: path.resolve(HERE, '../../..'),
      cacheDir: path.join(os.homedir(), '.cache', 'rehearse'),
      // stdout carries only the path, so that `$(node .../index.mjs)` works.
      log: (message) => console.error(message),
    });

    console.log(bin);
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
