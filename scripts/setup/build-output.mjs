// What of `vite build`'s output the set-up passes on. SvelteKit ends every build by suggesting
// `npm run preview`, a script this project does not have (npm start serves the build), and the
// adapter prints a banner; warnings and errors are kept.

/** The lines worth showing, without colour codes' influence on matching. */
export function buildOutputToShow(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/npm run preview|Using @sveltejs\/adapter-node|✔ done/.test(line.replace(/\x1b\[[0-9;]*m/g, '')));
}
