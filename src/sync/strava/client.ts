/**
 * The Strava client: OAuth (oauth.ts), the API with an athlete's token (api.ts), webhook bodies
 * (webhook.ts) and the application's push subscription (push-subscriptions.ts). Everything it
 * throws is a ServiceError (src/sync/types.ts) whose message holds no token, secret or URL.
 */
export { createStravaOAuth } from './oauth.js';
export { createStravaApi } from './api.js';
export { parseStravaWebhook } from './webhook.js';
export { createPushSubscription, deletePushSubscription, listPushSubscriptions } from './push-subscriptions.js';
export type { StravaUsage } from './rate-limit.js';
