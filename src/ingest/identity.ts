import { createHash } from 'node:crypto';

/** SHA-256 of the bytes (or UTF-8 text), as lower-case hex. */
export function sha256Hex(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The stable id of an activity: the source's content hash plus the session index, start time and
 * sport, so the same ride uploaded twice gets the same id (cross-source matching on start time ±
 * 60 s and sport is `isSameActivity` in the domain).
 */
export function activityId(sourceHash: string, sessionIndex: number, startTime: Date, sport: string): string {
  return sha256Hex(`${sourceHash}:${sessionIndex}:${startTime.toISOString()}:${sport}`).slice(0, 24);
}
