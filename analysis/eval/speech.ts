// Labelled speech: flite reads a script and says when each phone ends (-psdur); the script's words
// are laid over those phones (each word's phone count from flite's own lexicon), so every label
// has a time without asking the product anything.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Script } from './corpus.ts';

const run = promisify(execFile);

export interface TimedScriptWord {
  start: number;
  end: number;
}

/** Phones as flite speaks them: name and end time (s); "pau" is silence. */
async function phones(voice: string, stretch: number, text: string, wav: string): Promise<Array<{ phone: string; end: number }>> {
  const { stdout } = await run('flite', ['-voice', voice, '--setf', `duration_stretch=${stretch}`, '-t', text, '-psdur', '-o', wav], { maxBuffer: 16 << 20 });
  return stdout
    .trim()
    .split(/\s+/)
    .map((item) => {
      const at = item.lastIndexOf(':');
      return { phone: item.slice(0, at), end: Number(item.slice(at + 1)) };
    });
}

/** How many phones flite gives each distinct word, read in isolation (one sentence per word). */
async function phoneCounts(voice: string, words: string[]): Promise<Map<string, number>> {
  const distinct = [...new Set(words)];
  const { stdout } = await run('flite', ['-voice', voice, '-t', distinct.map((w) => `${w}.`).join(' '), '-ps', '-o', '/dev/null'], { maxBuffer: 16 << 20 });
  const groups = stdout.trim().split(/\s*\bpau\b\s*/).filter(Boolean);
  if (groups.length !== distinct.length) throw new Error(`flite ${voice} read ${groups.length} words for ${distinct.length}`);
  return new Map(distinct.map((w, i) => [w, groups[i]!.split(/\s+/).length]));
}

/** Speaks `script` into `wav` and returns each script word's time. */
export async function speakScript(script: Script, { voice, stretch, wav }: { voice: string; stretch: number; wav: string }): Promise<TimedScriptWord[]> {
  const spoken = await phones(voice, stretch, script.text, wav);
  const counts = await phoneCounts(voice, script.words.map((w) => w.text));
  const times: TimedScriptWord[] = [];
  let previousEnd = 0;
  let p = 0;
  for (const word of script.words) {
    while (spoken[p]?.phone === 'pau') previousEnd = spoken[p++]!.end;
    const n = counts.get(word.text)!;
    const last = spoken[p + n - 1];
    if (!last || spoken.slice(p, p + n).some((s) => s.phone === 'pau')) {
      throw new Error(`${script.name} (${voice}): flite's phones do not line up with the words at "${word.text}"`);
    }
    times.push({ start: previousEnd, end: last.end });
    previousEnd = last.end;
    p += n;
  }
  if (spoken.slice(p).some((s) => s.phone !== 'pau')) throw new Error(`${script.name} (${voice}): phones left over after the last word`);
  return times;
}
