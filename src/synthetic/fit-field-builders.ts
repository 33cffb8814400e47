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

/** Builders of one integer base type: `size` bytes, values rounded and clamped to [min, max]. */
const integerField =
  (baseType: FitBaseType, size: number, min: number, max: number) =>
  (number: number, v: number): FitEncoderField => ({ number, size, baseType, value: clampInt(v, min, max) });

export const enumField = integerField(FitBaseType.Enum, 1, 0, 0xfe);
export const u8 = integerField(FitBaseType.Uint8, 1, 0, 0xfe);
export const u16 = integerField(FitBaseType.Uint16, 2, 0, 0xfffe);
export const u32 = integerField(FitBaseType.Uint32, 4, 0, 0xfffffffe);
export const u32z = integerField(FitBaseType.Uint32z, 4, 1, 0xffffffff);
const s32 = integerField(FitBaseType.Sint32, 4, -0x7fffffff, 0x7ffffffe);
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
