/**
 * Zone names and the %FTP bounds the workout chart colors by. Coggan power zones (lower bound of
 * each zone, % FTP): Z1 < 56, Z2 56–75, Z3 76–90, Z4 91–105, Z5 106–120, Z6 121–150, Z7 > 150.
 * Colors live in the stylesheet as classes z1…z7 so they follow light/dark/print.
 */

export const POWER_ZONE_NAMES = ['Recovery', 'Endurance', 'Tempo', 'Threshold', 'VO2max', 'Anaerobic', 'Sprint'] as const;
export const HEART_RATE_ZONE_NAMES = ['Recovery', 'Endurance', 'Tempo', 'Threshold', 'VO2max'] as const;

/** Upper bounds (exclusive, % FTP) of Z1…Z6; anything above is Z7. */
export const POWER_ZONE_UPPER = [55.5, 75.5, 90.5, 105.5, 120.5, 150.5] as const;

/** 1-based Coggan zone of a % FTP value. */
export function powerZone(percentFtp: number): number {
  const i = POWER_ZONE_UPPER.findIndex((upper) => percentFtp < upper);
  return i === -1 ? 7 : i + 1;
}
