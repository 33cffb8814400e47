/**
 * Builders of FIT message fields. Values are rounded and clamped to the valid range of their base
 * type, so the invalid value (a reader's "no data") is never written by accident.
 */
import { FitBaseType, FitEncoder } from 'fit-file-parser';
import type { FitEncoderField } from 'fit-file-parser';

const SEMICIRCLES_PER_DEGREE = 2 ** 31 / 180;

export const has = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function clampInt(v: number, min: number, max: number): number {
  const r = Math.round(v);
  return r < min ? min : r > max ? max : r;
}

export const enumField = (number: number, v: number): FitEncoderField => ({
  number,
  size: 1,
  baseType: FitBaseType.Enum,
  value: clampInt(v, 0, 0xfe),
});
export const u8 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 1,
  baseType: FitBaseType.Uint8,
  value: clampInt(v, 0, 0xfe),
});
export const u16 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 2,
  baseType: FitBaseType.Uint16,
  value: clampInt(v, 0, 0xfffe),
});
export const u32 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32,
  value: clampInt(v, 0, 0xfffffffe),
});
export const u32z = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32z,
  value: clampInt(v, 1, 0xffffffff),
});
const s32 = (number: number, v: number): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Sint32,
  value: clampInt(v, -0x7fffffff, 0x7ffffffe),
});
export const time = (number: number, d: Date): FitEncoderField => ({
  number,
  size: 4,
  baseType: FitBaseType.Uint32,
  value: FitEncoder.toFitTimestamp(d),
});
export const semicircles = (number: number, degrees: number): FitEncoderField => s32(number, degrees * SEMICIRCLES_PER_DEGREE);

/** Largest value a legacy uint16 speed (scale 1000) / altitude (scale 5, offset 500) can hold. */
export const MAX_LEGACY_SPEED = 0xfffe / 1000;
export const MIN_LEGACY_ALTITUDE = -500;
export const MAX_LEGACY_ALTITUDE = 0xfffe / 5 - 500;
