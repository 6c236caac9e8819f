// The layout keeps its promises (shared/CONVENTIONS.md, "Contracts and test kits"): no package
// reaches into another's files by a relative path, every package declares what it imports, and
// production code never imports the test kit.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/product.ts';

const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (['node_modules', 'build', '.svelte-kit', 'generated', 'migrations'].includes(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|mjs|svelte)$/.test(entry)) out.push(full);
  }
  return out;
}

/** Module specifiers a file imports (static imports and exports, and dynamic imports of string literals). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
/** Tests, and the tooling a package runs at development time (its scripts/ and configuration). */
const isTest = (file: string, workspace: string) => workspace === 'tests' || /\.test\.ts$|\.config\.ts$/.test(file) || file.includes(`${path.sep}scripts${path.sep}`);

describe('the layout', () => {
  for (const workspace of root.workspaces) {
    const dir = path.join(repoRoot, workspace);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const deps = new Set(Object.keys(manifest.dependencies ?? {}));
    const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}));
    // The web client's own packages are all build-time (Vite bundles them).
    const declared = (test: boolean) => (test || workspace === 'web' ? new Set([...deps, ...devDeps, 'vitest']) : deps);

    it(`${manifest.name} imports other packages by name, declared in its package.json`, () => {
      const problems: string[] = [];
      for (const file of sourceFiles(dir)) {
        for (const specifier of importsOf(file)) {
          const where = path.relative(repoRoot, file);
          if (specifier.startsWith('.')) {
            const target = path.resolve(path.dirname(file), specifier);
            // A browser fixture is bundled from the web client's own file, as the web build bundles it
            // (Vite cannot transform it through the package: web/tsconfig.json extends $app/tsconfig).
            const browserFixture = where.startsWith(`tests${path.sep}fixtures${path.sep}`) && target.startsWith(path.join(repoRoot, 'web', 'src', 'lib') + path.sep);
            // scripts/ is the set-up behind npm start and npm test, not a package: its tests live in tests/.
            const setupScript = workspace === 'tests' && target.startsWith(path.join(repoRoot, 'scripts') + path.sep);
            if (!target.startsWith(dir + path.sep) && !browserFixture && !setupScript) problems.push(`${where}: ${specifier} reaches outside ${workspace}/`);
            continue;
          }
          if (specifier.startsWith('node:') || specifier.startsWith('#') || specifier.startsWith('$')) continue;
          const name = packageOf(specifier);
          if (name === manifest.name) continue;
          if (!declared(isTest(file, workspace)).has(name)) problems.push(`${where}: imports ${name}, which ${workspace}/package.json does not declare`);
          if (name === '@rehearse/testkit' && !isTest(file, workspace) && workspace !== 'testkit') problems.push(`${where}: production code imports the test kit`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('keeps the test kit out of every production dependency list', () => {
    for (const workspace of root.workspaces.filter((w) => w !== 'tests')) {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, workspace, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      expect(Object.keys(manifest.dependencies ?? {}), workspace).not.toContain('@rehearse/testkit');
    }
  });
});
