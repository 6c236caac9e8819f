/** The lines of `vite build`'s output worth showing (see build-output.mjs). */
export function buildOutputToShow(text: string): string[];
