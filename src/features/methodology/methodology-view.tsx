import { WEAK_PRECISION } from '@/lib/theme-quality';
import type { Accuracy, ConfidenceFigures, ThemeFigures, ThemeSetScore } from '@/core/accuracy';
import { AppLink } from '@/app/app-link';
import { useSearchParams, viewParams } from '@/app/url-state';
import type { TableColumn } from '@/lib/csv';
import { DataTable } from '@/lib/data-table';
import { formatCount, formatDate, formatPercent } from '@/lib/format';
import { PanelHead } from '@/lib/panel-head';
import { QueryState } from '@/lib/query-state';
import { wilsonInterval } from '@/lib/wilson';
import { FreshFigures } from './fresh-figures';
import {
  NEIGHBOURS_PER_COUNCIL,
  PROGRAMME_YEARS,
  type CaveatsRow,
  type TaxonomyRow,
} from './methodology-sql';
import { useAccuracy, useCaveats, useTaxonomy } from './methodology-queries';
import './methodology.css';

/** How findings and themes are derived, the taxonomy, the measured accuracy and the caveats. */
export function MethodologyView() {
  const taxonomy = useTaxonomy();
  const accuracy = useAccuracy();
  const caveats = useCaveats();
  return (
    <div className="view methodology">
      <nav className="methodology-toc" aria-label="On this page">
        <ul>
          <li>
            <a href="#method-pipeline">How findings are read</a>
          </li>
          <li>
            <a href="#method-search">Search, your themes, findings like this</a>
          </li>
          <li>
            <a href="#method-taxonomy">The themes</a>
          </li>
          <li>
            <a href="#method-accuracy">Measured accuracy</a>
          </li>
          <li>
            <a href="#method-caveats">Caveats</a>
          </li>
        </ul>
      </nav>
      <PipelineSection />
      <SearchSection />
      <section className="panel" aria-labelledby="method-taxonomy">
        <h2 id="method-taxonomy">The themes</h2>
        <QueryState
          query={taxonomy}
          label="the taxonomy"
          isEmpty={(rows) => rows.length === 0}
          empty={<p>This build&rsquo;s data holds no themes.</p>}
        >
          {(rows) => <TaxonomyTables rows={rows} />}
        </QueryState>
      </section>
      <section className="panel" aria-labelledby="method-accuracy">
        <h2 id="method-accuracy">Measured accuracy</h2>
        <QueryState query={accuracy} label="the accuracy figures">
          {(figures) => <AccuracyFigures accuracy={figures} themes={taxonomy.data} />}
        </QueryState>
      </section>
      <section className="panel" aria-labelledby="method-caveats">
        <h2 id="method-caveats">Caveats</h2>
        <QueryState query={caveats} label="the coverage figures">
          {(row) => <CaveatList caveats={row} />}
        </QueryState>
      </section>
    </div>
  );
}

/** How search, saved themes and "findings like this" work: what their figures mean. */
function SearchSection() {
  return (
    <section className="panel" aria-labelledby="method-search">
      <h2 id="method-search">Search, your themes and findings like this</h2>
      <p>
        <strong>Search</strong> compares words in their dictionary form (&ldquo;assessment&rdquo;
        finds &ldquo;assessments&rdquo;, &ldquo;initiated&rdquo; finds &ldquo;initiate&rdquo;), with
        &ldquo;quoted phrases&rdquo;, OR, a leading - to leave words out and * for words beginning
        so. A finding matches or not by its own words; nothing is ranked or guessed. The index is
        built and searched in the background, in this browser: nothing leaves the page.
      </p>
      <p>
        <strong>Your themes</strong> are searches saved under a name. Every finding a saved search
        matches is tagged with it, its evidence the words that matched, after the finding&rsquo;s
        other themes; it is counted in every view like the taxonomy&rsquo;s themes and marked
        &ldquo;(yours)&rdquo;. It is exactly as precise as its search: nobody has checked it against
        hand-tagged letters, as the taxonomy&rsquo;s themes are below. The same file applied by{' '}
        <code>npm run ingest -- --themes FILE</code> tags the same findings.
      </p>
      <p>
        <strong>Findings like this</strong> ranks every other finding by how much of its wording it
        shares with the chosen one: the cosine similarity of their TF-IDF weights over dictionary
        forms. Each finding becomes a list of weights, one per word it uses (stop words such as
        &ldquo;the&rdquo;, &ldquo;and&rdquo; or &ldquo;not&rdquo; left out). A word&rsquo;s weight
        is (1 + ln <em>tf</em>) × ln(<em>N</em> / <em>df</em>): <em>tf</em> is how often the finding
        uses the word, <em>N</em> the number of findings and <em>df</em> how many of them use it. A
        word used twice counts more than once but not twice as much, and a word few findings use
        counts far more than one most use. The similarity of two findings is the sum, over the words
        they share, of the product of the word&rsquo;s two weights, divided by the product of the
        lists&rsquo; lengths: from 0 (no word in common that counts) to 1 (the same words in the
        same proportions, such as a finding repeated in a later letter), whatever their lengths.
        Each result lists the words the two share, those adding most first. It measures shared
        wording, not meaning: &ldquo;no social worker was allocated&rdquo; and &ldquo;cases were
        unallocated&rdquo; share little. The filters do not apply: every finding is ranked.
      </p>
    </section>
  );
}

function PipelineSection() {
  return (
    <section className="panel" aria-labelledby="method-pipeline">
      <h2 id="method-pipeline">How findings are read from the letters</h2>
      <p className="panel-description">
        A program reads every letter the same way, in these steps, when the site is built. Nobody
        edits its output by hand.
      </p>
      <ol className="method-steps">
        <li>
          <h3>Reading the letters</h3>
          <p>
            Each letter&rsquo;s text is tidied: line endings, non-breaking spaces and curly quotes
            are made uniform, and markup left over from conversion, page numbers and running headers
            are set aside so that they never end up inside a finding. The original text is kept, so
            every finding can be shown where it stands in its letter.
          </p>
        </li>
        <li>
          <h3>Reading the details</h3>
          <p>
            The council is matched to the reference list of English councils through the names it
            has gone by (&ldquo;North Yorkshire County Council&rdquo; is North Yorkshire). The
            inspection dates, the date of the letter, the inspector who signed it and the reporting
            year (April to March, from the first day of the inspection) are read from the letter.
          </p>
        </li>
        <li>
          <h3>Finding the sections</h3>
          <p>
            Headings open the four sections a letter judges under: strengths, satisfactory practice,
            areas for development and areas for priority action, in any case or markup, or a
            sentence leading into a list (&ldquo;…delivered satisfactorily in accordance with
            national guidance, in particular:&rdquo;). The next heading, the sign-off or a
            council&rsquo;s account of its response ends a section. The address, the introduction,
            the description of the inspection and the sign-off are not findings.
          </p>
        </li>
        <li>
          <h3>Splitting into findings</h3>
          <p>
            Every bullet, numbered paragraph or paragraph inside a section is one finding. A bullet
            that a page break cut in two is joined up again. Each finding keeps its position and its
            place in the letter&rsquo;s text.
          </p>
        </li>
        <li>
          <h3>The &ldquo;raised before&rdquo; flag</h3>
          <p>
            A finding that says it was raised at the previous inspection (&ldquo;this was an area
            for development at the previous inspection&rdquo;, &ldquo;previously identified&rdquo;)
            is flagged, whatever its section. Only what the letter itself says counts; a theme that
            simply comes up again at a council&rsquo;s next inspection is not flagged.
          </p>
        </li>
        <li>
          <h3>Tagging themes</h3>
          <p>
            Each theme has cue phrases: words and phrases that name it or point to it, each with a
            weight, some counting only near other words (&ldquo;delays&rdquo; counts towards
            assessment timeliness only near &ldquo;assessment&rdquo;). A finding takes the themes
            whose cues score enough, most central first, usually two or three; the words that
            triggered each theme are kept and highlighted in the evidence. Whether a theme is praise
            or criticism comes from the finding&rsquo;s section, never from the theme. Words are
            compared in their dictionary form (&ldquo;assessments were initiated&rdquo; matches
            &ldquo;initiate assessment&rdquo;), a cue in the finding&rsquo;s subject counts for more
            than one later on, and a place, actor or record named only in passing (&ldquo;referrals
            from the police&rdquo;) counts for less. Beside the cues sits a word model: for each
            theme, a weight for every word and pair of words, learnt from the findings tagged by
            hand that the cues were tuned on (never from the letters kept back). It adds a theme it
            finds likely that no cue gave, worded in a way no cue was written for, and takes away a
            cue&rsquo;s theme it finds very unlikely, unless that theme is its likeliest for the
            sentence the cue was found in (a long finding can be about more than one thing). Where
            no cue that names a theme matched and the cues could only guess, the model&rsquo;s
            likeliest theme takes the guess&rsquo;s place; a finding that neither the cues nor the
            model can place gets a default theme. A theme the model gives shows the words that
            weighed most as its evidence. Each tag carries a confidence from 0 to 1, the cues&rsquo;
            and the model&rsquo;s together; below 0.6 it is marked uncertain.
          </p>
        </li>
        <li>
          <h3>Counting</h3>
          <p>
            The results are written to five Parquet files, which this page loads into a database in
            your browser; every figure on the site is a query over them. A <em>weakness</em> is a
            finding under areas for development or priority action. Shares count inspections
            (letters), not findings: a theme raised three times in one letter counts once.
          </p>
        </li>
      </ol>
    </section>
  );
}

const TAXONOMY_COLUMNS: TableColumn<TaxonomyRow>[] = [
  { key: 'label', label: 'Theme' },
  { key: 'theme_id', label: 'Id in the data', render: (row) => <code>{row.theme_id}</code> },
  { key: 'description', label: 'What it covers' },
  { key: 'findings_tagged', label: 'Findings tagged', numeric: true },
  { key: 'findings_central', label: 'of which most central', numeric: true },
];

const TAXONOMY_CSV_COLUMNS: TableColumn<TaxonomyRow>[] = [
  { key: 'group_label', label: 'Group' },
  ...TAXONOMY_COLUMNS,
  { key: 'taxonomy_version', label: 'Taxonomy version' },
];

/** Groups rows by `group_label`, keeping the order in which groups first appear. */
export function groupThemes(rows: readonly TaxonomyRow[]): [string, TaxonomyRow[]][] {
  const groups = new Map<string, TaxonomyRow[]>();
  for (const row of rows)
    groups.set(row.group_label, [...(groups.get(row.group_label) ?? []), row]);
  return [...groups];
}

/** The taxonomy read from the themes table: one table per group, and a CSV of all of it. */
export function TaxonomyTables({ rows }: { rows: readonly TaxonomyRow[] }) {
  const groups = groupThemes(rows);
  const version = rows[0]?.taxonomy_version ?? '–';
  return (
    <>
      <PanelHead fileName="taxonomy" rows={rows} columns={TAXONOMY_CSV_COLUMNS}>
        <p className="panel-description" data-testid="taxonomy-count" data-value={rows.length}>
          Taxonomy version {version}: {formatCount(rows.length)} themes in {groups.length} groups. A
          theme says what a finding is about; its section says whether it is praise or criticism.
          The counts are over every finding held, in all sections.
        </p>
      </PanelHead>
      {groups.map(([group, themes]) => (
        <div className="taxonomy-group" key={group} data-group={group}>
          <h3>{group}</h3>
          <DataTable
            caption={`Themes in the group ${group}`}
            rows={themes}
            columns={TAXONOMY_COLUMNS}
          />
        </div>
      ))}
    </>
  );
}

export { WEAK_PRECISION };
/** Fewer gold findings than this and a theme's figures rest on too little to judge. */
const FEW = 5;

/** A share with its 95% Wilson interval, as "80% (62–91%)"; "–" when nothing was counted. */
function shareWithInterval(successes: number, n: number): string {
  const interval = wilsonInterval(successes, n);
  if (!interval) return '–';
  const whole = (x: number) => Math.round(x * 100);
  return `${formatPercent(successes / n)} (${whole(interval.low)}–${whole(interval.high)}%)`;
}

/** A theme's row in the kept-back table. */
interface KeptBackRow extends ThemeFigures {
  label: string;
  flag: string;
}

const KEPT_BACK_COLUMNS: TableColumn<KeptBackRow>[] = [
  { key: 'label', label: 'Theme' },
  { key: 'support', label: 'Findings with it (by hand)', numeric: true },
  {
    key: 'precision',
    label: 'Precision (95% interval)',
    numeric: true,
    format: (_, row) => shareWithInterval(row.tp, row.tp + row.fp),
  },
  {
    key: 'recall',
    label: 'Recall (95% interval)',
    numeric: true,
    format: (_, row) => shareWithInterval(row.tp, row.support),
  },
  { key: 'flag', label: 'Note' },
];

/** Why a theme's figures on unseen letters need care, or '' (`note`: the split file's word). */
function themeFlag(t: ThemeFigures, note: string | undefined): string {
  const notes: string[] = note ? [note] : [];
  if (t.precision !== null && t.precision < WEAK_PRECISION)
    notes.push(`precision below ${formatPercent(WEAK_PRECISION)}: counts of it are overstated`);
  if (t.support < FEW) notes.push(`only ${t.support} by hand: too few to judge`);
  return notes.join('; ');
}

/** A set's themes right, wrong and missed, summed over its themes: what its shares come from. */
function totals(score: ThemeSetScore): { tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const t of score.per_theme) {
    tp += t.tp;
    fp += t.fp;
    fn += t.fn;
  }
  return { tp, fp, fn };
}

/** The tagger on letters it was not tuned on: micro figures with intervals, then theme by theme. */
function KeptBackFigures({
  keptBack,
  tune,
  heldOut,
  labels,
}: {
  keptBack: ThemeSetScore;
  tune: ThemeSetScore | undefined;
  heldOut: ThemeSetScore | undefined;
  labels: Map<string, string>;
}) {
  const { tp, fp, fn } = totals(keptBack);
  const rows: KeptBackRow[] = keptBack.per_theme.map((t) => ({
    ...t,
    label: labels.get(t.theme_id) ?? t.theme_id,
    flag: themeFlag(t, keptBack.notes?.[t.theme_id]),
  }));
  const weak = rows.filter((r) => r.precision !== null && r.precision < WEAK_PRECISION);
  return (
    <div className="accuracy-kept-back" data-testid="accuracy-kept-back">
      <h3>Themes on letters the program was not tuned on</h3>
      <p className="panel-description">
        The honest figure: {formatCount(keptBack.findings)} findings of{' '}
        {formatCount(keptBack.sources.length)} letters that were tagged by hand and kept back while
        the tagger was written, so that it could not be fitted to them. Intervals are 95% (Wilson);
        with so few findings they are wide.
      </p>
      <dl className="stats accuracy-figures">
        <div className="stat">
          <dt>Theme precision</dt>
          <dd data-testid="accuracy-kept-precision" data-value={keptBack.theme_precision}>
            {shareWithInterval(tp, tp + fp)}
          </dd>
          <dd className="stat-note">of {formatCount(tp + fp)} themes the program gave</dd>
        </div>
        <div className="stat">
          <dt>Theme recall</dt>
          <dd data-testid="accuracy-kept-recall" data-value={keptBack.theme_recall}>
            {shareWithInterval(tp, tp + fn)}
          </dd>
          <dd className="stat-note">of {formatCount(tp + fn)} themes a person gave</dd>
        </div>
        <div className="stat">
          <dt>Theme F1</dt>
          <dd data-testid="accuracy-kept-f1" data-value={keptBack.theme_f1}>
            {formatPercent(keptBack.theme_f1)}
          </dd>
          <dd className="stat-note">
            {tune
              ? `against ${formatPercent(tune.theme_f1)} on the ${formatCount(tune.findings)} findings it was tuned on`
              : 'precision and recall in one figure'}
          </dd>
        </div>
      </dl>
      {heldOut && <HeldOutFigures heldOut={heldOut} />}
      {weak.length > 0 && (
        <p className="accuracy-weak" data-testid="accuracy-weak">
          <strong>Read with care:</strong> on these letters the program gives{' '}
          {weak.map((r) => r.label).join(', ')} to too many findings (precision below{' '}
          {formatPercent(WEAK_PRECISION)}), so counts of {weak.length === 1 ? 'it' : 'them'} run
          high.
        </p>
      )}
      <DataTable
        caption="Each theme on the letters kept back from tuning"
        rows={rows}
        columns={KEPT_BACK_COLUMNS}
      />
      {keptBack.confidence && (
        <ConfidenceFiguresPanel keptBack={keptBack.confidence} tune={tune?.confidence} />
      )}
    </div>
  );
}

/** A second unseen figure: findings a separate author wrote and tagged, never tuned on. */
function HeldOutFigures({ heldOut }: { heldOut: ThemeSetScore }) {
  const { tp, fp, fn } = totals(heldOut);
  return (
    <p className="panel-description" data-testid="accuracy-held-out">
      A second check: {formatCount(heldOut.findings)} findings written in the letters&rsquo; manner
      and tagged by hand by someone who had seen neither the program nor its rules, and never used
      to tune it. On them the program&rsquo;s theme precision is{' '}
      <span data-testid="accuracy-held-out-precision">{shareWithInterval(tp, tp + fp)}</span>,
      recall <span data-testid="accuracy-held-out-recall">{shareWithInterval(tp, tp + fn)}</span>{' '}
      and F1 <span data-testid="accuracy-held-out-f1">{formatPercent(heldOut.theme_f1)}</span>.
    </p>
  );
}

/** One line of the confidence table: sure or uncertain tags on one side of the split. */
interface ConfidenceRow {
  group: string;
  tags: number;
  right: number;
  precision: number | null;
}

const CONFIDENCE_COLUMNS: TableColumn<ConfidenceRow>[] = [
  { key: 'group', label: 'Tags' },
  { key: 'tags', label: 'Given', numeric: true },
  { key: 'right', label: 'Also given by hand', numeric: true },
  {
    key: 'precision',
    label: 'Precision (95% interval)',
    numeric: true,
    format: (_, row) => shareWithInterval(row.right, row.tags),
  },
];

/** How far a tag's confidence bears out: sure against uncertain tags, and the switch's effect. */
function ConfidenceFiguresPanel({
  keptBack,
  tune,
}: {
  keptBack: ConfidenceFigures;
  tune: ConfidenceFigures | undefined;
}) {
  const threshold = keptBack.threshold.toFixed(2);
  const rows: ConfidenceRow[] = [
    { group: `Sure (confidence ${threshold} or more), letters kept back`, ...keptBack.sure },
    { group: `Uncertain (below ${threshold}), letters kept back`, ...keptBack.uncertain },
    ...(tune
      ? [
          { group: `Sure, letters tuned on`, ...tune.sure },
          { group: `Uncertain, letters tuned on`, ...tune.uncertain },
        ]
      : []),
  ];
  const only = keptBack.sure_only;
  return (
    <div className="accuracy-confidence" data-testid="accuracy-confidence">
      <h3>How sure each tag is</h3>
      <p className="panel-description">
        Every theme tag carries a confidence from 0 to 1: the mean of the cues&rsquo; confidence
        (how strongly the words point at the theme, how it stands against the finding&rsquo;s main
        theme, and whether more than one phrase agrees) and the word model&rsquo;s probability; a
        theme only the word model gives has three quarters of its probability (the data contract
        explains the sums). Tags below {threshold} are marked &ldquo;uncertain&rdquo; in the
        Evidence and Letters views, and the filter bar can leave them out of every count. On the
        letters kept back from tuning, leaving them out gives precision{' '}
        {formatPercent(only.theme_precision)}, recall {formatPercent(only.theme_recall)} and F1{' '}
        {formatPercent(only.theme_f1)}: fewer wrong themes, more missed ones.
      </p>
      <DataTable
        caption="Sure and uncertain tags against the hand tags"
        rows={rows}
        columns={CONFIDENCE_COLUMNS}
      />
    </div>
  );
}

/** The accuracy figures as a list, or a plain statement that this build did not measure them. */
export function AccuracyFigures({
  accuracy,
  themes,
}: {
  accuracy: Accuracy | null;
  themes?: readonly TaxonomyRow[] | undefined;
}) {
  if (!accuracy) {
    return (
      <p className="accuracy-missing" data-testid="accuracy-missing">
        Not measured in this build. The figures come from comparing the program&rsquo;s output with
        findings and themes a person has checked by hand; this build was made without that step.
      </p>
    );
  }
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  const labels = new Map((themes ?? []).map((t) => [t.theme_id, t.label]));
  return (
    <>
      <p className="panel-description">
        {accuracy.measured_at
          ? `Measured on ${formatDate(accuracy.measured_at)}`
          : 'Measured when this site was built'}{' '}
        against {formatCount(accuracy.gold_findings)} findings that a person read and tagged by
        hand, from the letters bundled with the site
        {accuracy.taxonomy_version && ` (themes of taxonomy version ${accuracy.taxonomy_version})`}.
        The program was tuned on these letters, and its word model learnt from them, so its theme
        figures here flatter it
        {accuracy.kept_back ? '; the figures on letters kept back from tuning follow.' : '.'}
      </p>
      <dl className="stats accuracy-figures">
        <div className="stat">
          <dt>Findings read exactly</dt>
          <dd data-testid="accuracy-matched" data-value={accuracy.matched_findings}>
            {formatPercent(share(accuracy.matched_findings, accuracy.gold_findings))}
          </dd>
          <dd className="stat-note">
            {formatCount(accuracy.matched_findings)} of {formatCount(accuracy.gold_findings)} with
            the same text, section, position and flag
          </dd>
        </div>
        <div className="stat">
          <dt>Theme precision (tuned on)</dt>
          <dd data-testid="accuracy-precision" data-value={accuracy.theme_precision}>
            {formatPercent(accuracy.theme_precision)}
          </dd>
          <dd className="stat-note">
            of the themes the program gave, the share a person also gave
          </dd>
        </div>
        <div className="stat">
          <dt>Theme recall (tuned on)</dt>
          <dd data-testid="accuracy-recall" data-value={accuracy.theme_recall}>
            {formatPercent(accuracy.theme_recall)}
          </dd>
          <dd className="stat-note">of the themes a person gave, the share the program found</dd>
        </div>
        <div className="stat">
          <dt>Theme F1 (tuned on)</dt>
          <dd data-testid="accuracy-f1" data-value={accuracy.theme_f1}>
            {formatPercent(accuracy.theme_f1)}
          </dd>
          <dd className="stat-note">precision and recall in one figure (their harmonic mean)</dd>
        </div>
      </dl>
      {accuracy.kept_back && (
        <KeptBackFigures
          keptBack={accuracy.kept_back}
          tune={accuracy.tune}
          heldOut={accuracy.held_out}
          labels={labels}
        />
      )}
      {accuracy.fresh && (
        <FreshFigures batches={accuracy.fresh} holdout={accuracy.word_model} labels={labels} />
      )}
    </>
  );
}

function yearList(years: readonly string[]): string {
  if (years.length <= 1) return years.join('');
  return `${years.slice(0, -1).join(', ')} and ${years.at(-1)}`;
}

/** The caveats, each with its figure computed from the data held. */
export function CaveatList({ caveats }: { caveats: CaveatsRow }) {
  const params = useSearchParams();
  const years = caveats.years.map((y) => y.reporting_year);
  const inProgramme = years.filter((y) => PROGRAMME_YEARS.includes(y));
  const programmeSpan = `${PROGRAMME_YEARS[0]} to ${PROGRAMME_YEARS.at(-1)}`;
  const notCovered = caveats.councils_total - caveats.councils_covered;
  return (
    <ul className="caveats">
      <li data-testid="caveat-councils" data-value={caveats.councils_covered}>
        <strong>
          {formatCount(caveats.councils_covered)} of the {formatCount(caveats.councils_total)}{' '}
          councils
        </strong>{' '}
        have a letter here ({formatPercent(caveats.councils_covered / caveats.councils_total)}),
        from {formatCount(caveats.letters)} {caveats.letters === 1 ? 'document' : 'documents'}. The
        other {formatCount(notCovered)} were inspected too, but their letters are not held, so no
        figure speaks for England as a whole.
        {caveats.letters_unmatched > 0 &&
          ` ${formatCount(caveats.letters_unmatched)} of the letters name a council the reference list does not recognise; they count in the totals but not by region or council type.`}
        {caveats.council_reports > 0 &&
          ` ${formatCount(caveats.council_reports)} ${caveats.council_reports === 1 ? 'is a council’s own report' : 'are councils’ own reports'} of its inspection rather than an Ofsted letter.`}
      </li>
      <li data-testid="caveat-years" data-value={years.join(',')}>
        <strong>
          {formatCount(inProgramme.length)} of the {PROGRAMME_YEARS.length} reporting years
        </strong>{' '}
        of the programme ({programmeSpan}) have letters:{' '}
        {caveats.years.map((y) => `${y.reporting_year} (${formatCount(y.letters)})`).join(', ') ||
          'none'}
        .{' '}
        {caveats.missing_years.length > 0 &&
          `None is held from ${yearList(caveats.missing_years)}. `}
        {caveats.first_inspection &&
          `Inspections held ran from ${formatDate(caveats.first_inspection)} to ${formatDate(caveats.last_inspection)}. `}
        Reporting years run from April to March.
      </li>
      <li data-testid="caveat-neighbours" data-value={caveats.councils_short_neighbours}>
        <strong>Statistical neighbours are a proxy.</strong> They are the Department for
        Education&rsquo;s April 2021 model, mapped back onto the councils of 2009-12; the neighbours
        used at the time were different. After mapping,{' '}
        {formatCount(caveats.councils_short_neighbours)}{' '}
        {caveats.councils_short_neighbours === 1 ? 'council has' : 'councils have'} fewer than{' '}
        {NEIGHBOURS_PER_COUNCIL} neighbours.
      </li>
      <li data-testid="caveat-synthetic" data-value={caveats.synthetic_letters}>
        <strong>Synthetic data never ships.</strong> Benchmarks recombine real findings into made-up
        letters, which are flagged as synthetic and kept out of the site.{' '}
        {caveats.synthetic_letters === 0
          ? 'None of the letters here is synthetic.'
          : `Warning: ${formatCount(caveats.synthetic_letters)} of the letters here are marked synthetic; this build should not have been published.`}
      </li>
      <li data-testid="caveat-tagging" data-value={caveats.findings}>
        <strong>Themes are machine-tagged.</strong> A program gave the{' '}
        {formatCount(caveats.findings)} findings {formatCount(caveats.theme_tags)} theme tags from
        cue phrases and a word model; no person checked each one
        {caveats.findings_default_theme > 0 &&
          `, and ${formatCount(caveats.findings_default_theme)} findings matched no cue and carry only the default theme`}
        . {formatCount(caveats.previously_identified)}{' '}
        {caveats.previously_identified === 1 ? 'finding says it was' : 'findings say they were'}{' '}
        raised at the previous inspection. Check the{' '}
        <AppLink params={viewParams('evidence', params)}>evidence</AppLink> before quoting a figure.
      </li>
    </ul>
  );
}
