/**
 * Our numbers against the head unit's own, on real rides: NP within 3 % wherever the device wrote
 * NP, and TSS within 6 % with the device's FTP. The head unit's TSS counts only the seconds that end
 * a full 30 s NP window: ≈ (timer − 29 s) × IF² / 36 with its own NP, which the last test checks.
 */
import { expect, it } from 'vitest';
import { describeActivity } from '../../src/app/inspect.js';
import { decodeFit } from '../../src/ingest/fit/decode-fit.js';
import { corpusBytes, corpusFitFiles, describeCorpus } from '../support/corpus.js';

describeCorpus('agreement with the device', () => {
  it('NP within 3 % and TSS within 6 % of the device on every ride that recorded them', () => {
    const rows: {
      file: string;
      deviceNp: number;
      ourNp: number | null;
      npDiff: number;
      deviceTss: number | null;
      ourTss: number | null;
      tssDiff: number | null;
    }[] = [];
    for (const file of corpusFitFiles()) {
      const decoded = decodeFit(corpusBytes('fit', file), file);
      if (!decoded.ok) continue;
      const activity = decoded.value[0]!;
      if (activity.sport !== 'cycling' || activity.device?.normalizedPower == null) continue;
      const ours = describeActivity(activity, activity.device.ftp);
      const np = ours.normalizedPower;
      rows.push({
        file,
        deviceNp: activity.device.normalizedPower,
        ourNp: np,
        npDiff: np === null ? Infinity : ((np - activity.device.normalizedPower) / activity.device.normalizedPower) * 100,
        deviceTss: activity.device.tss,
        ourTss: ours.tss,
        tssDiff: ours.tss === null || activity.device.tss === null ? null : ((ours.tss - activity.device.tss) / activity.device.tss) * 100,
      });
    }
    console.table(
      rows.map((r) => ({ ...r, npDiff: `${r.npDiff.toFixed(2)} %`, tssDiff: r.tssDiff === null ? '–' : `${r.tssDiff.toFixed(2)} %` })),
    );
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(Math.abs(r.npDiff), `${r.file}: NP ${r.ourNp} vs device ${r.deviceNp}`).toBeLessThanOrEqual(3);
      expect(r.tssDiff, r.file).not.toBeNull();
      expect(Math.abs(r.tssDiff!), `${r.file}: TSS ${r.ourTss} vs device ${r.deviceTss}`).toBeLessThanOrEqual(6);
    }
  });

  it("uses the athlete's FTP, not the device's mis-set one (Edge 1000 set to 200 W)", () => {
    const decoded = decodeFit(corpusBytes('fit', 'edge1000-wrong-ftp.fit'), 'edge1000-wrong-ftp.fit');
    if (!decoded.ok) throw new Error(decoded.error.message);
    const withDevice = describeActivity(decoded.value[0]!, null);
    const withAthlete = describeActivity(decoded.value[0]!, 300);
    expect(withDevice.tss! / withAthlete.tss!).toBeCloseTo((300 / 200) ** 2, 2);
    expect(withAthlete.tss!).toBeLessThan(decoded.value[0]!.device!.tss! * 0.5);
  });

  it("the head unit's TSS is (timer − 29 s) × IF² / 36 with its own NP and FTP (README: why ours differs)", () => {
    let checked = 0;
    for (const file of corpusFitFiles()) {
      const decoded = decodeFit(corpusBytes('fit', file), file);
      if (!decoded.ok) continue;
      const { device, timerSeconds } = decoded.value[0]!;
      if (device?.tss == null || device.normalizedPower == null || device.ftp == null || timerSeconds === null) continue;
      const intensity = device.normalizedPower / device.ftp;
      const fullWindows = ((timerSeconds - 29) / 3600) * intensity * intensity * 100;
      expect(Math.abs(fullWindows - device.tss) / device.tss, `${file}: ${fullWindows.toFixed(1)} vs device ${device.tss}`).toBeLessThan(
        0.02,
      );
      checked += 1;
    }
    expect(checked).toBe(9);
  });
});
