// The Vietnamese lunar calendar (âm lịch), for the holidays that move with
// it: Tết (1/1) and Giỗ Tổ Hùng Vương (10/3).
//
// Hồ Ngọc Đức's algorithm (https://www.informatik.uni-leipzig.de/~duc/amlich/),
// the one Vietnamese calendars are printed from: new moons and the sun's
// longitude from Jean Meeus' "Astronomical Algorithms", with the day
// boundary at UTC+7. The time zone is what makes it Vietnamese: in some years
// a new moon falls before midnight in Hà Nội and after it in Beijing, so Tết
// differs from the Chinese New Year (1985, 2007, 2030). North Vietnam used
// UTC+8 before 1968, so dates before then may differ from what was observed;
// the office's calendar only needs the years ahead.
import { addDays, dateParts, daysBetween, type LocalDate } from "./dates.ts";

export interface LunarDate {
  day: number;
  month: number;
  year: number;
  /** The month is the leap (nhuận) copy of `month`. */
  leap: boolean;
}

/** The years this module answers for; the approximations hold well beyond them. */
export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

const TIME_ZONE = 7;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of the new moon of 1900-01-01 (Meeus' epoch for k = 0). */
const EPOCH_NEW_MOON = 2415021.076998695;
/** Julian day number of 1970-01-01. */
const JD_UNIX_EPOCH = 2440588;
const DEG = Math.PI / 180;

const int = Math.floor;

function jdOf(date: LocalDate): number {
  return JD_UNIX_EPOCH + daysBetween("1970-01-01", date);
}

/** Julian day number of a Gregorian date given as numbers (1899 included, which LocalDate is not). */
function jdOfParts(year: number, month: number, day: number): number {
  const a = int((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + int((153 * m + 2) / 5) + 365 * y + int(y / 4) - int(y / 100) + int(y / 400) - 32045;
}

function dateOfJd(jd: number): LocalDate {
  return addDays("1970-01-01", jd - JD_UNIX_EPOCH);
}

/** The instant (Julian day, UT) of the k-th new moon after 1900-01-01. */
function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * DEG);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // moon's argument of latitude
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * DEG) + 0.0021 * Math.sin(2 * DEG * M);
  c1 = c1 - 0.4068 * Math.sin(Mpr * DEG) + 0.0161 * Math.sin(DEG * 2 * Mpr);
  c1 = c1 - 0.0004 * Math.sin(DEG * 3 * Mpr);
  c1 = c1 + 0.0104 * Math.sin(DEG * 2 * F) - 0.0051 * Math.sin(DEG * (M + Mpr));
  c1 = c1 - 0.0074 * Math.sin(DEG * (M - Mpr)) + 0.0004 * Math.sin(DEG * (2 * F + M));
  c1 = c1 - 0.0004 * Math.sin(DEG * (2 * F - M)) - 0.0006 * Math.sin(DEG * (2 * F + Mpr));
  c1 = c1 + 0.001 * Math.sin(DEG * (2 * F - Mpr)) + 0.0005 * Math.sin(DEG * (2 * Mpr + M));
  const deltaT = T < -11 ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3 : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + c1 - deltaT;
}

/** The sun's apparent longitude in radians, 0 ≤ L < 2π, at a Julian day (UT). */
function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525;
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2; // mean anomaly
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2; // mean longitude
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(DEG * M);
  DL += (0.019993 - 0.000101 * T) * Math.sin(DEG * 2 * M) + 0.00029 * Math.sin(DEG * 3 * M);
  const L = (L0 + DL) * DEG;
  return L - 2 * Math.PI * int(L / (2 * Math.PI));
}

/** Which of the 12 solar-term sectors (30° each) the sun is in at local midnight starting that day. */
function sunSector(dayNumber: number): number {
  return int((sunLongitude(dayNumber - 0.5 - TIME_ZONE / 24) / Math.PI) * 6);
}

/** The Julian day number (local date) on which the k-th new moon falls. */
function newMoonDay(k: number): number {
  return int(newMoon(k) + 0.5 + TIME_ZONE / 24);
}

/** The first day of lunar month 11 (the month holding the winter solstice) of the Gregorian year. */
function month11(year: number): number {
  const off = jdOfParts(year, 12, 31) - 2415021;
  const k = int(off / SYNODIC_MONTH);
  const nm = newMoonDay(k);
  // Month 11 is the one in which the sun reaches 270°; a new moon after that starts month 12.
  return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm;
}

/**
 * In a 13-month year, how many months after month 11 the leap month comes:
 * the first month with no solar term (the sun stays in one sector).
 */
function leapMonthOffset(a11: number): number {
  const k = int((a11 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5);
  let i = 1;
  let arc = sunSector(newMoonDay(k + i));
  let last: number;
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i));
  } while (arc !== last && i < 14);
  return i - 1;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new RangeError(`the lunar calendar is computed for ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}, not ${year}`);
  }
}

/**
 * The Gregorian date of a lunar date; null when it does not exist (a leap
 * month the year has not, or day 30 of a 29-day month). The lunar year is
 * the one that starts at Tết in the same Gregorian year.
 */
export function lunarToSolar(lunar: LunarDate): LocalDate | null {
  const { day, month, year, leap } = lunar;
  checkYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) return null;
  const [a11, b11] = month < 11 ? [month11(year - 1), month11(year)] : [month11(year), month11(year + 1)];
  const k = int(0.5 + (a11 - EPOCH_NEW_MOON) / SYNODIC_MONTH);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return null;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return null;
  }
  const start = newMoonDay(k + off);
  const jd = start + day - 1;
  // Day 30 of a 29-day month is the first day of the next one.
  if (day === 30 && newMoonDay(k + off + 1) <= jd) return null;
  return dateOfJd(jd);
}

/** The lunar date of a Gregorian date. */
export function solarToLunar(date: LocalDate): LunarDate {
  const { year } = dateParts(date);
  checkYear(year);
  const dayNumber = jdOf(date);
  const k = int((dayNumber - EPOCH_NEW_MOON) / SYNODIC_MONTH);
  let monthStart = newMoonDay(k + 1);
  if (monthStart > dayNumber) monthStart = newMoonDay(k);
  let a11 = month11(year);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = year;
    a11 = month11(year - 1);
  } else {
    lunarYear = year + 1;
    b11 = month11(year + 1);
  }
  const diff = int((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11);
    if (diff >= leapDiff) {
      month = diff + 10;
      leap = diff === leapDiff;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { day: dayNumber - monthStart + 1, month, year: lunarYear, leap };
}

/** Mùng 1 Tết: the first day of the lunar year that starts in this Gregorian year. */
export function tetDay(year: number): LocalDate {
  // 1/1 of a lunar year always exists.
  return lunarToSolar({ day: 1, month: 1, year, leap: false })!;
}

/** Giỗ Tổ Hùng Vương, 10/3 lunar (of the regular third month when the year has a leap third month). */
export function hungKingsDay(year: number): LocalDate {
  return lunarToSolar({ day: 10, month: 3, year, leap: false })!;
}
