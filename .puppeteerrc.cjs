// Puppeteer must not download its own Chrome (no network for it here): reports are rendered with
// the system's Chromium, found through PUPPETEER_EXECUTABLE_PATH (default /usr/bin/chromium).
module.exports = { skipDownload: true };
