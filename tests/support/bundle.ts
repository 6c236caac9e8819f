import { build, type Rolldown } from 'vite';

/** Bundles a browser entry (and its npm imports, e.g. mediasoup-client) into one script. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'bundle', fileName: 'bundle' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = result[0]!.output[0];
  return chunk.code;
}
