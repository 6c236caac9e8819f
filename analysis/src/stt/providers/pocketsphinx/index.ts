import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const processEntry = fileURLToPath(new URL('./decoder-process.ts', import.meta.url));

export interface EngineCheck {
  ok: boolean;
  detail: string;
}

/** Proves the embedded engine works here: library loads, model loads, audio decodes. */
export function checkPocketSphinx(): Promise<EngineCheck> {
  return new Promise((resolve) => {
    execFile(process.execPath, [processEntry, '--self-test'], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) {
        const reason = error.signal ? `decoder process ended by ${error.signal}` : stderr.trim().split('\n').at(-1) || error.message;
        resolve({ ok: false, detail: `PocketSphinx unavailable: ${reason}` });
        return;
      }
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { loadMs?: number };
      resolve({ ok: true, detail: `PocketSphinx en-US model loaded in ${result.loadMs} ms (rough local engine)` });
    });
  });
}
