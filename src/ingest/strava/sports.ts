/** Strava's activity types and the FIT sport and sub-sport each one stands for. */

export interface SportMapping {
  sport: string;
  subSport: string | null;
}

/** FIT sport → Strava's types (lower case, letters and digits only) → FIT sub-sport (null: none). */
const TYPES_BY_SPORT: Record<string, Record<string, string | null>> = {
  cycling: {
    ride: null,
    velomobile: null,
    handcycle: null,
    virtualride: 'virtual_activity',
    mountainbikeride: 'mountain',
    gravelride: 'gravel_cycling',
    road: 'road',
    roadride: 'road',
  },
  e_biking: { ebikeride: null, emountainbikeride: 'e_bike_mountain' },
  running: { run: null, trailrun: 'trail', virtualrun: 'virtual_activity' },
  walking: { walk: null },
  hiking: { hike: null },
  swimming: { swim: null },
  cross_country_skiing: { nordicski: null },
  alpine_skiing: { alpineski: null },
  backcountry_skiing: { backcountryski: null },
  snowboarding: { snowboard: null },
  snowshoeing: { snowshoe: null },
  sailing: { sail: null },
  paddling: { canoe: null, canoeing: null, kayaking: null },
  rowing: { rowing: null },
  training: { weighttraining: 'strength_training' },
};

const SPORTS: ReadonlyMap<string, SportMapping> = new Map(
  Object.entries(TYPES_BY_SPORT).flatMap(([sport, types]) =>
    Object.entries(types).map(([type, subSport]): [string, SportMapping] => [type, { sport, subSport }]),
  ),
);

/** Strava's `Activity Type` ("Nordic Ski" or "NordicSki") → FIT sport and sub-sport. */
export function stravaTypeToSport(type: string): SportMapping {
  const key = type.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hit = SPORTS.get(key);
  return hit ? { sport: hit.sport, subSport: hit.subSport } : { sport: 'generic', subSport: null };
}
