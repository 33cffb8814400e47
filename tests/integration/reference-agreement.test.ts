/**
 * The product's numbers against an INDEPENDENT reference (tests/support/reference: Garmin's FIT
 * SDK + GoldenCheetah's import and metric conventions, no code shared with src/), on every real
 * FIT file of the corpus and on any extra file in tests/fixtures/public-fit/ or ../shared/data/fit-public/
 * (public fixtures with power, to be added where this machine's network cannot fetch them).
 *
 * Tolerances, as the issue asks (relative to the reference, FTP 250 W on both sides):
 * NP ±1.5 %, TSS ±3 %, best 1 / 5 / 20 min ±2 % (only the durations the ride is long enough for).
 * Every cycling session with power must be read as `cycling`; a session of another sport with
 * power (a run with a power meter) must keep its sport and is left out of the power comparisons.
 * Damaged files and files without power are listed with the reason, never silently dropped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectPaths, type InspectedActivity, type InspectReport } from '../../src/app/inspect.js';
import {
  analyzeFitReference,
  REFERENCE_DURATIONS,
  type ReferenceResult,
  type ReferenceSession,
} from '../support/reference/gc-reference.js';
import { corpusFitFiles, corpusPath, describeCorpus } from '../support/corpus.js';

const FTP = 250;
/** Percent, relative to the reference. Do not loosen: these are the issue's figures. */
const TOLERANCE = { np: 1.5, tss: 3, best: 2 } as const;
const DURATION_LABEL: Record<number, string> = { 60: '1 min', 300: '5 min', 1200: '20 min' };
const PUBLIC_FIT_DIRS = [resolve(import.meta.dirname, '../fixtures/public-fit'), corpusPath('fit-public')];
const CORPUS_FILE_COUNT = 16;

interface SessionComparison {
  label: string;
  reference: ReferenceSession;
  ours: InspectedActivity | undefined;
  /** `compare`: cycling with power; `sport-only`: power in another sport; `no-power`: nothing to compare. */
  kind: 'compare' | 'sport-only' | 'no-power';
}

interface FileComparison {
  file: string;
  reference: ReferenceResult;
  product: InspectReport;
  sessions: SessionComparison[];
}

const percent = (ours: number, reference: number): number => ((ours - reference) / reference) * 100;
const within = (ours: number | null | undefined, reference: number, tolerance: number): boolean =>
  typeof ours === 'number' && Math.abs(percent(ours, reference)) <= tolerance;

async function compareFile(file: string, path: string): Promise<FileComparison> {
  const reference = analyzeFitReference(new Uint8Array(readFileSync(path)), { ftp: FTP });
  const product = await inspectPaths([path], { ftp: FTP });
  if (!reference.ok) return { file, reference, product, sessions: [] };
  const activities = product.activities;
  const sessions = reference.sessions.map((session, i): SessionComparison => {
    // Match by start time; fall back to the position when the product moved the start.
    const ours =
      activities.find((a) => a.startTime === session.startTime) ??
      (activities.length === reference.sessions.length ? activities[i] : undefined);
    const kind = !session.hasPower ? 'no-power' : session.sport === 'cycling' ? 'compare' : 'sport-only';
    return { label: reference.sessions.length > 1 ? `${file}#${i}` : file, reference: session, ours, kind };
  });
  return { file, reference, product, sessions };
}

function cell(ours: number | null | undefined, reference: number | null, tolerance: number, digits = 0): string {
  if (reference === null) return ours === null || ours === undefined ? '–' : `${ours} / – (too short)`;
  if (ours === null || ours === undefined) return `– / ${reference.toFixed(digits)} ✗ missing`;
  const d = percent(ours, reference);
  return `${ours} / ${reference.toFixed(digits)} (${d >= 0 ? '+' : ''}${d.toFixed(2)} %)${Math.abs(d) <= tolerance ? '' : ' ✗'}`;
}

function failures(c: SessionComparison): string[] {
  const out: string[] = [];
  const { reference: ref, ours } = c;
  if (!ours) return ['no product activity for this session'];
  if (ours.sport !== ref.sport) out.push(`sport ${ours.sport} ≠ ${ref.sport}`);
  if (c.kind !== 'compare') return out;
  if (!within(ours.normalizedPower, ref.normalizedPower!, TOLERANCE.np)) out.push('NP');
  if (!within(ours.tss, ref.tss!, TOLERANCE.tss)) out.push('TSS');
  for (const d of REFERENCE_DURATIONS) {
    const r = ref.meanMax[d];
    if (r !== null && r !== undefined && !within(ours.powerCurve[String(d)], r, TOLERANCE.best)) out.push(DURATION_LABEL[d]!);
  }
  return out;
}

function printTables(title: string, comparisons: FileComparison[]): void {
  const compared = comparisons.flatMap((f) => f.sessions.filter((s) => s.kind === 'compare'));
  console.log(
    `\n${title} — ours / reference (difference), FTP ${FTP} W; tolerances NP ±${TOLERANCE.np} %, TSS ±${TOLERANCE.tss} %, best efforts ±${TOLERANCE.best} %`,
  );
  console.table(
    compared.map((c) => {
      const ref = c.reference;
      const ours = c.ours;
      const fails = failures(c);
      return {
        file: c.label,
        sport: `${ours?.sport ?? '–'} / ${ref.sport}`,
        NP: cell(ours?.normalizedPower, ref.normalizedPower, TOLERANCE.np, 1),
        TSS: cell(ours?.tss, ref.tss, TOLERANCE.tss, 1),
        ...Object.fromEntries(
          REFERENCE_DURATIONS.map((d) => [
            DURATION_LABEL[d]!,
            cell(ours?.powerCurve[String(d)], ref.meanMax[d] ?? null, TOLERANCE.best, 1),
          ]),
        ),
        verdict: fails.length === 0 ? 'ok' : `FAIL: ${fails.join(', ')}`,
      };
    }),
  );
  const listed = comparisons.flatMap((f) => {
    if (!f.reference.ok) {
      const errors = f.product.errors.map((e) => e.code).join(', ');
      const warnings = f.product.activities.flatMap((a) => a.warnings.map((w) => w.code)).join(', ');
      return [
        {
          file: f.file,
          reason: f.reference.reason,
          product: errors || (warnings ? `read with warnings: ${warnings}` : `${f.product.activities.length} activities`),
        },
      ];
    }
    return f.sessions
      .filter((s) => s.kind !== 'compare')
      .map((s) => ({
        file: s.label,
        reason:
          s.kind === 'no-power'
            ? `no power in the ${s.reference.sport} session (${s.reference.records} records)`
            : `${s.reference.sport} with power: sport checked, no power comparison`,
        product: s.ours ? `sport ${s.ours.sport}${failures(s).length ? ` ✗ ${failures(s).join(', ')}` : ''}` : '✗ no activity',
      }));
  });
  if (listed.length > 0) {
    console.log(`${title} — not compared, with the reason:`);
    console.table(listed);
  }
}

/** One `it` per file; the comparison itself runs once, before them, and prints the tables. */
function agreementSuite(title: string, files: { file: string; path: string }[]): void {
  const results = new Map<string, FileComparison>();

  beforeAll(async () => {
    for (const { file, path } of files) results.set(file, await compareFile(file, path));
    printTables(title, [...results.values()]);
  }, 300_000);

  for (const { file } of files) {
    it(`${file}: agrees with the GoldenCheetah-style reference`, () => {
      const c = results.get(file)!;
      if (!c.reference.ok) {
        // Listed in the table with its reason; a file the reference cannot read has nothing to compare.
        expect(c.reference.reason).toMatch(/damaged|unreadable|no session/);
        if (file.startsWith('bad-')) expect(c.reference.reason).toMatch(/^damaged/);
        return;
      }
      for (const s of c.sessions) {
        const ref = s.reference;
        expect.soft(s.ours, `${s.label}: the product has no activity starting ${ref.startTime}`).toBeDefined();
        if (!s.ours) continue;
        expect.soft(s.ours.sport, `${s.label}: sport`).toBe(ref.sport);
        if (s.kind === 'compare') expect.soft(s.ours.sport, `${s.label}: a cycling session with power must be cycling`).toBe('cycling');
        if (s.kind !== 'compare') continue;
        const ours = s.ours;
        expect
          .soft(
            Math.abs(percent(ours.normalizedPower ?? NaN, ref.normalizedPower!)),
            `${s.label}: NP ${ours.normalizedPower} vs reference ${ref.normalizedPower!.toFixed(1)}`,
          )
          .toBeLessThanOrEqual(TOLERANCE.np);
        expect
          .soft(Math.abs(percent(ours.tss ?? NaN, ref.tss!)), `${s.label}: TSS ${ours.tss} vs reference ${ref.tss!.toFixed(1)}`)
          .toBeLessThanOrEqual(TOLERANCE.tss);
        for (const d of REFERENCE_DURATIONS) {
          const r = ref.meanMax[d];
          if (r === null || r === undefined) continue; // the ride is shorter than that
          const o = ours.powerCurve[String(d)];
          expect
            .soft(
              Math.abs(percent(o ?? NaN, r)),
              `${s.label}: best ${DURATION_LABEL[d]} ${o ?? 'missing'} W vs reference ${r.toFixed(1)} W`,
            )
            .toBeLessThanOrEqual(TOLERANCE.best);
        }
      }
    });
  }
}

describeCorpus('agreement with the independent GoldenCheetah-style reference', () => {
  it(`finds the ${CORPUS_FILE_COUNT} FIT files of the corpus`, () => {
    expect(corpusFitFiles()).toHaveLength(CORPUS_FILE_COUNT);
  });
  agreementSuite(
    'corpus',
    corpusFitFiles().map((file) => ({ file, path: corpusPath('fit', file) })),
  );
});

const publicFitFiles = PUBLIC_FIT_DIRS.flatMap((dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.toLowerCase().endsWith('.fit'))
        .sort()
        .map((file) => ({ file: basename(file), path: resolve(dir, file) }))
    : [],
);

describe.skipIf(publicFitFiles.length === 0)(
  'agreement with the reference on public FIT fixtures (tests/fixtures/public-fit, ../shared/data/fit-public)',
  () => {
    agreementSuite('public-fit', publicFitFiles);
  },
);
