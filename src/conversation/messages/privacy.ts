/**
 * The words of /export and /forget: what the export holds and how it comes, and the confirmation
 * of a deletion of everything.
 */
import { formatBytes } from '../../ingest/ingest-error.js';
import type { AthleteExport } from '../../store/store.js';
import { SERVICE_NAMES } from '../../sync/types.js';
import { buttonRow, type Reply } from '../port.js';
import { count } from './format.js';

/** The caption of the export: what it holds, and how it is packed (in parts, or gzipped). */
export function exportCaption(
  data: AthleteExport,
  packing: { parts: number; compressed: boolean; split: boolean; maxBytes: number | undefined },
): string {
  const how = packing.split
    ? ` It comes in ${packing.parts} parts, each under the ${formatBytes(packing.maxBytes ?? 0)} I can attach here: each is a complete JSON file (gzipped); your rides and reports are spread over them in order, and part 1 also holds your profile, uploads and analyses.`
    : packing.compressed
      ? ' (Compressed: gunzip it, or open it with any unzip tool.)'
      : '';
  const held = [
    `${plural(data.activities.length, 'activity', 'activities')} with their recordings`,
    plural(data.profileHistory.length, 'profile version', 'profile versions'),
    `${plural(data.runs.length, 'analysis', 'analyses')} and their reports`,
    plural(data.questions.length, 'question', 'questions'),
  ];
  const services = data.connections.map((c) => SERVICE_NAMES[c.service]);
  if (services.length > 0)
    held.push(`your ${services.join(' and ')} ${services.length === 1 ? 'connection' : 'connections'} (without keys or tokens)`);
  return `Everything I hold about you: ${held.join(', ')}.${how}`;
}

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/** Asks before /forget; `services`: the services connected, disconnected first (Strava is told). */
export function forgetQuestionText(activities: number, services: readonly string[] = []): Reply {
  const connected = services.length > 0 ? `, and disconnects ${services.join(' and ')}` : '';
  return {
    title: 'Delete everything?',
    text: `This deletes your profile, ${activities} activities, every analysis and report${connected}. It cannot be undone. (/export first if you want a copy.)`,
    buttons: buttonRow(['Yes, delete everything', 'forget:confirm'], ['No, keep it', 'forget:cancel']),
  };
}

export const STALE_FORGET_BUTTON: Reply = {
  text: 'That button is out of date: nothing was deleted. Send /forget if you want to delete everything.',
};

export const FORGET_WHILE_RUNNING: Reply = {
  text: 'An analysis is running for you: wait until it is done (a minute or so), then /forget again.',
};

export function forgottenText(activities: number): Reply {
  return {
    text: `Done: your profile, ${activities} activities and all analyses and reports are deleted. If you write again, you start from scratch.`,
  };
}
