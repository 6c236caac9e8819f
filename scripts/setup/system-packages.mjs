// Debian packages the product and its tests need. Checked with dpkg-query (fast), installed with
// apt-get only when something is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const RUNTIME = [
  'ffmpeg', // recording remux and the audio fork's decoder (fallback when ffmpeg-static cannot download)
  'libpocketsphinx3', // the embedded offline speech engine...
  'pocketsphinx-en-us', // ...and its US-English model
  'libuv1', // mediasoup-worker's shared libraries when built from source
  'libssl3',
  'libsrtp2-1',
  'libabsl20220623',
  'fonts-dejavu-core', // PDF scorecards (api/src/scorecards): Unicode text in an embedded font
];

// Only needed while the mediasoup worker is built from its C++ source (ENVIRONMENT.md).
const BUILD = ['g++', 'meson', 'ninja-build', 'pkg-config', 'libuv1-dev', 'libssl-dev', 'libsrtp2-dev', 'libflatbuffers-dev', 'flatbuffers-compiler', 'libabsl-dev'];

// Browser tests run Debian's Chromium and Firefox ESR; speech fixtures are spoken by flite; PDF
// scorecards are read back by poppler's pdftotext; relay-only answers go through coturn; a real
// Prometheus scrapes every process (its promtool checks the alert rules).
const TEST = ['chromium', 'firefox-esr', 'flite', 'poppler-utils', 'coturn', 'prometheus'];

function missingPackages(names) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...names], { encoding: 'utf8' });
  const installed = new Set(
    result.stdout
      .split('\n')
      .filter((line) => /\sii\s*$/.test(line))
      .map((line) => line.split(' ')[0].split(':')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

/** Installs what is missing (or, with checkOnly, only reports it); returns what was missing. */
export function ensureSystemPackages({ withBuildTools, withTestTools, checkOnly = false, log, fail }) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    if (!checkOnly) log('not a Debian system: skipping system packages (install ffmpeg and pocketsphinx yourself)');
    return [];
  }
  const wanted = [...RUNTIME, ...(withBuildTools ? BUILD : []), ...(withTestTools ? TEST : [])];
  const missing = missingPackages(wanted);
  if (missing.length === 0 || checkOnly) return missing;

  log(`installing Debian packages: ${missing.join(' ')}`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  if (asRoot.length > 0 && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    fail(`missing Debian packages and not root: run  sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (aptArgs) => {
    const [cmd, ...rest] = [...asRoot, 'apt-get', ...aptArgs];
    return spawnSync(cmd, rest, { stdio: ['ignore', 'inherit', 'inherit'], env });
  };
  if (apt(['update', '-qq']).status !== 0) log('apt-get update failed; trying the install with the lists we have');
  if (apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]).status !== 0) {
    fail(`apt-get could not install: ${missingPackages(missing).join(' ')}`);
  }
  const still = missingPackages(missing);
  if (still.length > 0) fail(`still missing after apt-get: ${still.join(' ')}`);
  return missing;
}
