// `npm run bench`: every benchmark, each printing its figures against a baseline measured in the
// same run. Run one alone with `npm run bench -- recording`.
const benchmarks: Record<string, () => Promise<unknown>> = {
  recording: () => import('./recording.ts'),
  webrtc: () => import('./webrtc.ts'),
  live: () => import('./live.ts'),
  api: () => import('./api.ts'),
  coach: () => import('./coach.ts'),
  mentoring: () => import('./mentoring.ts'),
  nodes: () => import('./nodes.ts'),
};

const chosen = process.argv.slice(2).filter((name) => !name.startsWith('-'));
for (const name of chosen.length > 0 ? chosen : Object.keys(benchmarks)) {
  const bench = benchmarks[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; choose from ${Object.keys(benchmarks).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n== ${name} ==\n`);
  await bench();
}
