// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { parseAccuracy } from '@/core/accuracy';
import { tagThemes } from '@/core/pipeline/tag-themes';
import { defaultTaxonomy } from '@/core/pipeline/taxonomy';
import { AccuracyFigures, WEAK_PRECISION } from '@/features/methodology/methodology-view';
import { formatPercent } from '@/lib/format';
import { wilsonInterval } from '@/lib/wilson';
import { themeScores } from '../../scripts/lib/accuracy';
import { readSplit, sideOf } from '../../scripts/lib/accuracy-split';
import { ROOT } from '../helpers/gold';
import { measureAccuracyFile } from '../helpers/measure-accuracy';
import { cleanPageAfterEach } from '../support/render-with-client';

cleanPageAfterEach();

describe('wilsonInterval', () => {
  it('gives the textbook interval and stays within 0 and 1', () => {
    const eight = wilsonInterval(8, 10)!;
    expect(eight.low).toBeCloseTo(0.4902, 3);
    expect(eight.high).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 3)!.low).toBe(0);
    expect(wilsonInterval(3, 3)!.high).toBe(1);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

const keptBackThemes = (accuracy: ReturnType<typeof parseAccuracy>) =>
  accuracy.kept_back!.per_theme.map((t) => t.theme_id);

describe('accuracy on letters kept back from tuning', () => {
  it('shows the file the build writes: figures with intervals, every theme, the weak ones named', () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    const keptBack = accuracy.kept_back!;
    expect(keptBack.findings).toBeGreaterThan(0);
    render(<AccuracyFigures accuracy={accuracy} />);
    const section = screen.getByTestId('accuracy-kept-back');
    expect(screen.getByTestId('accuracy-kept-f1').textContent).toBe(
      formatPercent(keptBack.theme_f1),
    );
    // The share with its interval comes from the counts, not from the file's rounded figure.
    const tp = keptBack.per_theme.reduce((n, t) => n + t.tp, 0);
    const fp = keptBack.per_theme.reduce((n, t) => n + t.fp, 0);
    expect(tp / (tp + fp)).toBeCloseTo(keptBack.theme_precision, 3);
    expect(screen.getByTestId('accuracy-kept-precision').textContent).toMatch(
      new RegExp(`^${formatPercent(tp / (tp + fp))} \\(\\d+–\\d+%\\)$`),
    );
    const themeTable = within(section).getByRole('table', {
      name: 'Each theme on the letters kept back from tuning',
    });
    const rows = within(themeTable).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(keptBack.per_theme.length);
    const weak = keptBack.per_theme.filter(
      (t) => t.precision !== null && t.precision < WEAK_PRECISION,
    );
    if (weak.length > 0)
      for (const t of weak)
        expect(screen.getByTestId('accuracy-weak').textContent).toContain(t.theme_id);
    else expect(screen.queryByTestId('accuracy-weak')).toBeNull();
    // The figures on the letters tuned on are labelled as such.
    expect(screen.getByText('Theme F1 (tuned on)')).toBeTruthy();
  });

  it('says beside a theme why its figure needs care, as the split file words it', async () => {
    const notes = Object.entries((await readSplit()).kept_back_notes ?? {});
    expect(notes.length).toBeGreaterThan(0);
    const accuracy = parseAccuracy(measureAccuracyFile());
    render(<AccuracyFigures accuracy={accuracy} />);
    const themeTable = within(screen.getByTestId('accuracy-kept-back')).getByRole('table', {
      name: 'Each theme on the letters kept back from tuning',
    });
    const rows = within(themeTable).getAllByRole('row').slice(1);
    // Rendered without the themes table, a row is named by its theme's id.
    const rowOf = (id: string) => rows.find((r) => r.textContent?.startsWith(id));
    for (const [themeId, note] of notes)
      expect(rowOf(themeId)?.textContent, themeId).toContain(note);
    // A theme without a note in the file gets none of them.
    const other = keptBackThemes(accuracy).find((id) => !notes.some(([noted]) => noted === id));
    for (const [, note] of notes) expect(rowOf(other!)?.textContent).not.toContain(note);
  });

  it('gives the separate author’s findings, never tuned on, as a second unseen figure', async () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    const heldOut = accuracy.held_out!;
    const { findings } = await sideOf((await readSplit()).held_out ?? {});
    expect(findings.length).toBeGreaterThan(0);
    expect(heldOut.findings).toBe(findings.length);
    // The same findings tagged here, apart from the build's step.
    const here = themeScores(
      findings.map((f) => ({
        gold: f.themes,
        predicted: tagThemes(f.text, defaultTaxonomy).map((t) => t.themeId),
      })),
    );
    expect(heldOut.theme_f1).toBeCloseTo(here.f1, 3);
    render(<AccuracyFigures accuracy={accuracy} />);
    const line = screen.getByTestId('accuracy-held-out');
    expect(line.textContent).toContain(`${findings.length} findings`);
    const tp = heldOut.per_theme.reduce((n, t) => n + t.tp, 0);
    const fp = heldOut.per_theme.reduce((n, t) => n + t.fp, 0);
    const fn = heldOut.per_theme.reduce((n, t) => n + t.fn, 0);
    const interval = (share: number) => new RegExp(`^${formatPercent(share)} \\(\\d+–\\d+%\\)$`);
    expect(within(line).getByTestId('accuracy-held-out-precision').textContent).toMatch(
      interval(tp / (tp + fp)),
    );
    expect(within(line).getByTestId('accuracy-held-out-recall').textContent).toMatch(
      interval(tp / (tp + fn)),
    );
    expect(within(line).getByTestId('accuracy-held-out-f1').textContent).toBe(
      formatPercent(heldOut.theme_f1),
    );
  });

  it('leaves the second figure out when the file has none', () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    expect(accuracy.held_out).toBeDefined();
    delete accuracy.held_out;
    render(<AccuracyFigures accuracy={accuracy} />);
    expect(screen.getByTestId('accuracy-kept-back')).toBeTruthy();
    expect(screen.queryByTestId('accuracy-held-out')).toBeNull();
  });

  it('sets sure tags against uncertain ones, as measured', () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    const confidence = accuracy.kept_back!.confidence!;
    expect(confidence.sure.tags + confidence.uncertain.tags).toBeGreaterThan(0);
    render(<AccuracyFigures accuracy={accuracy} />);
    const table = screen.getByRole('table', {
      name: 'Sure and uncertain tags against the hand tags',
    });
    const [sure, uncertain] = within(table).getAllByRole('row').slice(1);
    expect(sure!.textContent).toContain(String(confidence.sure.tags));
    expect(uncertain!.textContent).toContain(String(confidence.uncertain.tags));
    expect(screen.getByTestId('accuracy-confidence').textContent).toContain(
      formatPercent(confidence.sure_only.theme_f1),
    );
  });
});

describe('the tagger on findings written fresh', () => {
  it('shows each batch as first scored and as scored now, the range in words', () => {
    const accuracy = parseAccuracy(measureAccuracyFile());
    const fresh = accuracy.fresh!;
    expect(fresh.length).toBeGreaterThan(0);
    // The figure now is the tagger's on exactly those lines, computed here independently.
    for (const batch of fresh) {
      const rows = readFileSync(path.join(ROOT, batch.source), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .slice(batch.lines[0] - 1, batch.lines[1])
        .map((l) => JSON.parse(l) as { text: string; themes: string[] });
      expect(rows).toHaveLength(batch.findings);
      const f1 = themeScores(
        rows.map((r) => ({
          gold: r.themes,
          predicted: tagThemes(r.text, defaultTaxonomy).map((t) => t.themeId),
        })),
      ).f1;
      expect(batch.f1_now).toBeCloseTo(f1, 3);
    }
    // The themes as the methodology view reads them from the themes table, labels and all.
    const themes = defaultTaxonomy.themes.map((t) => ({
      theme_id: t.id,
      label: t.label,
      group_label: t.groupId,
      description: t.description,
      taxonomy_version: defaultTaxonomy.version,
      findings_tagged: 0,
      findings_central: 0,
    }));
    render(<AccuracyFigures accuracy={accuracy} themes={themes} />);
    const section = screen.getByTestId('accuracy-fresh');
    const table = within(section).getByRole('table', {
      name: 'The tagger on findings written fresh, before and after it was changed for them',
    });
    const body = within(table).getAllByRole('row').slice(1);
    expect(body).toHaveLength(fresh.length);
    fresh.forEach((b, i) => {
      expect(body[i]!.textContent).toContain(formatPercent(b.f1_before));
      expect(body[i]!.textContent).toContain(formatPercent(b.f1_now));
    });
    const before = fresh.map((b) => b.f1_before);
    expect(screen.getByTestId('accuracy-fresh-low').textContent).toBe(
      formatPercent(Math.min(...before)),
    );
    expect(screen.getByTestId('accuracy-fresh-high').textContent).toBe(
      formatPercent(Math.max(...before)),
    );
    // The word model measured on those findings, as a whole and theme by theme.
    const holdout = accuracy.word_model!;
    expect(screen.getByTestId('accuracy-model-before').textContent).toBe(
      formatPercent(holdout.before.theme_f1),
    );
    expect(screen.getByTestId('accuracy-model-after').textContent).toBe(
      formatPercent(holdout.after.theme_f1),
    );
    const themeTable = within(section).getByRole('table', {
      name: "Findings written fresh, theme by theme: the cues' first tags, alone and with the word model",
    });
    const themeRows = within(themeTable).getAllByRole('row').slice(1);
    const labelled = holdout.after.per_theme.filter((t) => t.support > 0);
    expect(themeRows).toHaveLength(labelled.length);
    const top = [...labelled].sort(
      (a, b) => b.support - a.support || a.theme_id.localeCompare(b.theme_id),
    )[0]!;
    // Each theme by its label, as every other table of the site names it.
    const label = defaultTaxonomy.themes.find((t) => t.id === top.theme_id)!.label;
    expect(label).not.toBe(top.theme_id);
    expect(themeRows[0]!.querySelector('th, td')?.textContent).toBe(label);
    expect(themeRows[0]!.textContent).toContain(formatPercent(top.recall!));
  });
});
