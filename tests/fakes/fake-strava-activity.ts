/**
 * The activities of the fake Strava (tests/fakes/fake-strava.ts): from 1 Hz samples (power, heart
 * rate, cadence, the `moving` flag) it builds what Strava would hold — the time, distance,
 * velocity, altitude and position streams, and the DetailedActivity with its averages (over the
 * moving seconds, as Strava's), in Strava's field names.
 */

export interface FakeStravaSamples {
  watts?: number[];
  heartrate?: number[];
  cadence?: number[];
  /** Default: moving every second. */
  moving?: boolean[];
}

export interface FakeStravaActivitySpec {
  startTime: Date;
  name?: string;
  /** Strava's sport_type (and type): Ride (default), VirtualRide, GravelRide, Run, … */
  type?: string;
  /** False: Strava estimated the power. Default: true when there are watts. */
  deviceWatts?: boolean;
  description?: string;
  samples: FakeStravaSamples;
}

export interface FakeActivity {
  id: string;
  athleteId: string;
  startTime: Date;
  deleted: boolean;
  detail: Record<string, unknown>;
  streams: Record<string, unknown[]>;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

/** Normalized power over the moving seconds (30 s rolling mean, fourth power). */
function normalizedPower(watts: number[]): number | null {
  if (watts.length < 30) return null;
  let sum = 0;
  let acc = 0;
  const rolled: number[] = [];
  for (let i = 0; i < watts.length; i++) {
    sum += watts[i]!;
    if (i >= 30) sum -= watts[i - 30]!;
    if (i >= 29) rolled.push(sum / 30);
  }
  for (const r of rolled) acc += r ** 4;
  return Math.round((acc / rolled.length) ** 0.25);
}

/** The recorded streams: speed from the power (a rough road model), distance, a rolling altitude, a line of positions. */
function recordedStreams(spec: FakeStravaActivitySpec): Record<string, unknown[]> {
  const s = spec.samples;
  const n = Math.max(s.watts?.length ?? 0, s.heartrate?.length ?? 0, s.cadence?.length ?? 0, s.moving?.length ?? 0);
  if (n === 0) return {};
  const moving = Array.from({ length: n }, (_, i) => s.moving?.[i] ?? true);
  const velocity = moving.map((m, i) => (m ? Math.min(20, s.watts ? 4 + (s.watts[i] ?? 0) / 40 : 8) : 0));
  const distance: number[] = [];
  velocity.forEach((v, i) => distance.push(round1((distance[i - 1] ?? 0) + v)));
  const streams: Record<string, unknown[]> = {
    time: Array.from({ length: n }, (_, i) => i),
    distance,
    velocity_smooth: velocity.map(round1),
    altitude: distance.map((d) => round1(120 + 30 * Math.sin((2 * Math.PI * d) / 20_000))),
    latlng: distance.map((d) => [45 + d / 111_000, 6]),
    moving,
  };
  if (s.watts) streams.watts = s.watts.slice(0, n);
  if (s.heartrate) streams.heartrate = s.heartrate.slice(0, n);
  if (s.cadence) streams.cadence = s.cadence.slice(0, n);
  return streams;
}

/** The summary figures of the streams, in Strava's field names. */
function figures(spec: FakeStravaActivitySpec, streams: Record<string, unknown[]>): Record<string, unknown> {
  const moving = (streams.moving ?? []) as boolean[];
  const onMoving = (key: string): number[] => ((streams[key] ?? []) as number[]).filter((_, i) => moving[i] === true);
  const watts = onMoving('watts');
  const hr = onMoving('heartrate');
  const cadence = onMoving('cadence');
  const distance = (streams.distance ?? []) as number[];
  const altitude = (streams.altitude ?? []) as number[];
  const movingTime = moving.filter(Boolean).length;
  const total = distance.at(-1) ?? 0;
  let gain = 0;
  for (let i = 1; i < altitude.length; i++) gain += Math.max(0, altitude[i]! - altitude[i - 1]!);
  const avgWatts = mean(watts);
  return {
    elapsed_time: moving.length,
    moving_time: movingTime,
    distance: total,
    total_elevation_gain: round1(gain),
    average_speed: movingTime > 0 ? round1(total / movingTime) : 0,
    max_speed: Math.max(0, ...((streams.velocity_smooth ?? []) as number[])),
    has_heartrate: hr.length > 0,
    ...(avgWatts === null
      ? {}
      : {
          average_watts: round1(avgWatts),
          weighted_average_watts: normalizedPower(watts),
          max_watts: Math.max(...watts),
          kilojoules: round1(watts.reduce((a, b) => a + b, 0) / 1000),
          device_watts: spec.deviceWatts ?? true,
        }),
    ...(hr.length > 0 ? { average_heartrate: round1(mean(hr)!), max_heartrate: Math.max(...hr) } : {}),
    ...(cadence.length > 0 ? { average_cadence: round1(mean(cadence)!) } : {}),
  };
}

/** An activity as the fake keeps it: its detail (DetailedActivity) and its streams. */
export function buildActivity(id: string, athleteId: string, spec: FakeStravaActivitySpec): FakeActivity {
  const streams = recordedStreams(spec);
  const type = spec.type ?? 'Ride';
  const start = spec.startTime.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const detail: Record<string, unknown> = {
    id: Number(id),
    resource_state: 3,
    athlete: { id: Number(athleteId), resource_state: 1 },
    name: spec.name ?? 'Morning Ride',
    description: spec.description ?? null,
    type,
    sport_type: type,
    start_date: start,
    start_date_local: start,
    timezone: '(GMT+00:00) Etc/UTC',
    trainer: type.startsWith('Virtual'),
    manual: Object.keys(streams).length === 0,
    device_name: 'Fake Edge 1040',
    ...figures(spec, streams),
  };
  return { id, athleteId, startTime: spec.startTime, deleted: false, detail, streams };
}

/** The activity as the list shows it (SummaryActivity: no description, no device name). */
export function listedActivity(activity: FakeActivity): Record<string, unknown> {
  const { description: _d, device_name: _n, ...summary } = activity.detail;
  return { ...summary, resource_state: 2 };
}

/** `GET /activities/{id}/streams`: the asked-for streams it has, keyed by type or as a list. */
export function streamsAnswer(activity: FakeActivity, query: URLSearchParams): unknown {
  const keys = (query.get('keys') ?? 'time,distance').split(',').map((k) => k.trim());
  const picked = keys.filter((k) => activity.streams[k] !== undefined);
  const stream = (k: string) => {
    const data = activity.streams[k]!;
    return { type: k, data, series_type: 'distance', original_size: data.length, resolution: 'high' };
  };
  if (query.get('key_by_type') === 'true') return Object.fromEntries(picked.map((k) => [k, stream(k)]));
  return picked.map(stream);
}
