import { describe, expect, it } from 'vitest';
import { csvField } from './log.ts';

describe('audit CSV fields', () => {
  it('quotes every field and doubles quotes inside', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField(null)).toBe('""');
    expect(csvField({ role: 'mentor' })).toBe('"{""role"":""mentor""}"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) expect(csvField(evil).startsWith(`"'`)).toBe(true);
    expect(csvField('a=b')).toBe('"a=b"');
  });
});
