import { describe, expect, it } from 'vitest';
import { parseLetter } from '@/core/pipeline/parse-letter';
import { pageAt, toRows } from '@/core/pipeline/to-rows';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import {
  citation,
  findingHref,
  provenanceLine,
  sourceOf,
  type FindingSource,
} from '@/lib/citation';
import { letterFiles, readLetter } from '../helpers/gold';

const leeds: FindingSource = {
  finding_id: 'leeds-2009-07-14#9',
  letter_id: 'leeds-2009-07-14',
  document_kind: 'ofsted_letter',
  council_name: 'Leeds',
  letter_date: '2009-08-12',
  inspection_start: '2009-07-14',
  source_file: 'ucra_leeds_2009-08.pdf',
  added: false,
  section: 'development',
  section_position: 3,
  position: 9,
  page: 2,
};

describe('citation', () => {
  it('cites an Ofsted letter by its date, section and number, with the page', () => {
    expect(citation(leeds)).toBe(
      'Ofsted (2009) Unannounced inspection of contact, referral and assessment arrangements: Leeds, letter of 12 August 2009, area for development 3, page 2.',
    );
    expect(provenanceLine(leeds)).toBe(
      'Ofsted letter · Leeds · 12 August 2009 · area for development 3 · page 2 · ucra_leeds_2009-08.pdf',
    );
  });

  it("cites a council's report as the council's words, never Ofsted's", () => {
    const report = {
      ...leeds,
      document_kind: 'council_report',
      council_name: 'Calderdale',
      section: 'strength',
      section_position: 1,
      page: null,
    };
    expect(citation(report)).toMatch(/^Calderdale Council \(2009\) Report on Ofsted's/);
    expect(citation(report)).not.toMatch(/^Ofsted/);
    expect(citation(report)).toContain('strength 1.');
    expect(provenanceLine(report)).toContain("Council report (the council's words, not Ofsted's)");
  });

  it('says when a letter was added in this browser, and from which file', () => {
    const added = { ...leeds, added: true, source_file: 'mine.docx' };
    expect(citation(added)).toContain('Added in this browser from mine.docx');
    expect(provenanceLine(added)).toMatch(/^Ofsted letter, added in this browser · /);
  });

  it("reads a listed row's provenance as it is, a missing inspection date as none", () => {
    const row = { ...leeds, text: 'The words.', themes: [] };
    expect(sourceOf(row)).toEqual(row);
    const undated = { ...leeds, letter_date: null, inspection_start: undefined };
    expect(sourceOf(undated).inspection_start).toBeNull();
    expect(citation(sourceOf(undated))).toContain('(n.d.)');
    expect(provenanceLine(sourceOf(undated))).toBe(
      'Ofsted letter · Leeds · area for development 3 · page 2 · ucra_leeds_2009-08.pdf',
    );
  });

  it('links to the letter at the finding under any path', () => {
    const href = findingHref(leeds, 'https://example.org/dash/board/?view=evidence&theme=x#top');
    const url = new URL(href);
    expect(url.pathname).toBe('/dash/board/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      view: 'letter',
      letter: 'leeds-2009-07-14',
      finding: '9',
    });
  });
});

describe('pageAt', () => {
  it('counts form feeds before the offset, and gives null for a text without pages', () => {
    expect(pageAt('one\ftwo\fthree', 0)).toBe(1);
    expect(pageAt('one\ftwo\fthree', 5)).toBe(2);
    expect(pageAt('one\ftwo\fthree', 9)).toBe(3);
    expect(pageAt('no pages here', 5)).toBeNull();
  });

  it('puts each seed finding on the page where its text is', () => {
    const rows = toRows(
      letterFiles.map((n) => parseLetter(readLetter(n), n)),
      defaultTaxonomy,
    );
    const texts = new Map(rows.letters.map((l) => [l.letter_id, l.source_text]));
    for (const f of rows.findings) {
      const text = texts.get(f.letter_id)!;
      const before = text.slice(0, f.char_start);
      if (!text.includes('\f')) expect(f.page).toBeNull();
      else expect(f.page).toBe(before.split('\f').length);
    }
  });
});
