/** Says what a file that is not FIT probably is, and what to send instead. */
export function describeNonFit(bytes: Uint8Array, source: string): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  const send =
    'Send the original .fit file from your bike computer or watch (Garmin Connect: ⚙ → Export Original; Strava: ⋯ → Export Original).';
  if (head.includes('<gpx')) return `${source} is a GPX file, not a FIT file. GPX has no power data worth analysing. ${send}`;
  if (head.includes('<trainingcenterdatabase')) return `${source} is a TCX file, not a FIT file. ${send}`;
  if (head.startsWith('<')) return `${source} is an XML/HTML document, not a FIT file. ${send}`;
  if (head.startsWith('{') || head.startsWith('[')) return `${source} is a JSON file, not a FIT file. ${send}`;
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)
    return `${source} is a PDF, not a FIT file. ${send}`;
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return `${source} is a PNG picture, not a FIT file. ${send}`;
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return `${source} is a JPEG picture, not a FIT file. ${send}`;
  return `${source} is not a FIT file (it lacks the ".FIT" signature). ${send}`;
}
