/**
 * A fake Discord on 127.0.0.1 for the real discord.js client: the gateway (WebSocket: HELLO →
 * IDENTIFY → READY, heartbeats, dispatches), the REST API under `/api/v10` (interaction callbacks,
 * webhook follow-ups and edits with multipart files, DM channels, channel messages, command
 * registration, `/gateway/bot`) and a CDN for attachments. Tests act as users (slash commands,
 * buttons, autocomplete, DMs with or without attachments) and read everything the bot sent.
 *
 * It keeps Discord's rules that matter to a bot: an interaction must be answered within 3 s, once;
 * its token works for 15 minutes; the first follow-up after a deferral fills the deferred reply;
 * ephemeral is a flag on the message.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A snowflake with the current time in it, as Discord makes them (discord.js reads the time back). */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) % 4096n;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export const EPHEMERAL = 1 << 6;
/** The gateway intent for DM messages. */
export const DIRECT_MESSAGES = 1 << 12;

export interface FakeUser {
  id: string;
  username: string;
  globalName: string | null;
}

export interface FakeFile {
  fileName: string;
  contentType: string;
  content: Uint8Array;
}

/** One HTTP request the bot made, as received. */
export interface RecordedRequest {
  method: string;
  /** Path below `/api/v10`, with the interaction token replaced by `:token`. */
  route: string;
  path: string;
  query: URLSearchParams;
  at: number;
  authorization: string | null;
  multipart: boolean;
  json: unknown;
  files: FakeFile[];
  status: number;
}

/** A message the bot sent (or the deferred reply it holds), as a user would see it. */
export interface FakeMessage {
  id: string;
  channelId: string;
  /** The user who sees it: the DM partner, or who used the interaction. */
  userId: string;
  source: 'interaction' | 'channel';
  interactionId: string | null;
  /** True while it is a deferred reply ("thinking…") that has not been filled yet. */
  pending: boolean;
  content: string;
  components: ActionRow[];
  embeds: unknown[];
  flags: number;
  files: FakeFile[];
  /** Edits after the message first had content. */
  edits: number;
  /** Every content the message had, oldest first. */
  history: string[];
  createdAt: number;
}

export interface ActionRow {
  type: 1;
  components: { type: number; style?: number; label?: string; custom_id?: string }[];
}

export interface FakeInteraction {
  id: string;
  token: string;
  type: 2 | 3 | 4;
  userId: string;
  guildId: string | null;
  channelId: string;
  /** When the fake wrote it to the gateway. */
  dispatchedAt: number;
  /** When the bot's (first) callback arrived, and what it was (null when it was refused as late). */
  callbackAt: number | null;
  callback: { type: number; data?: Record<string, unknown> } | null;
  /** The callback came after the deadline and was refused, as Discord does ("Unknown interaction"). */
  late: boolean;
  attachmentSizeLimit: number;
  payload: Record<string, unknown>;
}

export interface FakeDiscordOptions {
  token?: string;
  /** How long interaction tokens work (Discord: 15 minutes). */
  interactionTokenLifetimeMs?: number;
  /** The time to answer an interaction (Discord: 3 s). */
  callbackDeadlineMs?: number;
  /** `attachment_size_limit` sent with interactions (Discord: 10 MiB for most). */
  attachmentSizeLimit?: number;
  heartbeatIntervalMs?: number;
}

type OptionValue = string | number | boolean | { fileName: string; content: Uint8Array; contentType?: string; declaredSize?: number };

export interface SlashOptions {
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /** Run it in a server channel instead of the bot's DM. */
  guildId?: string;
  attachmentSizeLimit?: number;
}

interface Session {
  ws: WebSocket;
  identified: boolean;
  sequence: number;
  sessionId: string;
  intents: number;
}

interface CommandJson {
  name: string;
  type?: number;
  options?: OptionJson[];
}

interface OptionJson {
  name: string;
  type: number;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  max_length?: number;
  choices?: { name: string; value: string | number }[];
  autocomplete?: boolean;
  options?: OptionJson[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const guessType = (name: string) =>
  /\.png$/i.test(name)
    ? 'image/png'
    : /\.jpe?g$/i.test(name)
      ? 'image/jpeg'
      : /\.html?$/i.test(name)
        ? 'text/html'
        : /\.json$/i.test(name)
          ? 'application/json'
          : /\.zip$/i.test(name)
            ? 'application/zip'
            : 'application/octet-stream';

/** Discord markdown as the user reads it: bold markers and escaping backslashes removed. */
export function renderedText(content: string): string {
  return content
    .replace(/\*\*((?:\\.|[^*\\])+)\*\*/g, '$1')
    .replace(/\\([\\*_~`|#>[\]()-])/g, '$1')
    .replace(/\u200b/g, '');
}

export class FakeDiscord {
  readonly token: string;
  readonly applicationId = snowflake();
  readonly bot: FakeUser = { id: this.applicationId, username: 'domestique', globalName: null };
  readonly requests: RecordedRequest[] = [];
  /** The command JSON of each PUT, global and per server. */
  readonly registered: { global: CommandJson[] | null; guilds: Map<string, CommandJson[]> } = { global: null, guilds: new Map() };
  readonly interactions = new Map<string, FakeInteraction>();
  readonly messages: FakeMessage[] = [];
  /** Attachment ids fetched from the CDN, in order. */
  readonly cdnDownloads: string[] = [];
  /** How many times a client identified, and how many heartbeats were answered. */
  identifies = 0;
  heartbeats = 0;
  lastIntents = 0;
  readonly baseUrl: string;
  private readonly users = new Map<string, FakeUser>();
  private readonly dmChannels = new Map<string, string>();
  private readonly cdn = new Map<string, FakeFile>();
  private readonly commandIds = new Map<string, string>();
  private readonly sessions = new Set<Session>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly options: Required<FakeDiscordOptions>;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.options = {
      token: options.token ?? `fake.${randomBytes(18).toString('base64url')}.token`,
      interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
      callbackDeadlineMs: options.callbackDeadlineMs ?? 3000,
      attachmentSizeLimit: options.attachmentSizeLimit ?? 10 * 1024 * 1024,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000,
    };
    this.token = this.options.token;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    server.on('request', (req, res) => void this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeDiscord(server, options);
  }

  /** Changes the token lifetime for interactions dispatched from now on. */
  setInteractionTokenLifetime(ms: number): void {
    this.options.interactionTokenLifetimeMs = ms;
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- users and their view

  user(id: string, username = `rider${id.slice(-4)}`, globalName: string | null = `Rider ${id.slice(-4)}`): FakeUser {
    let user = this.users.get(id);
    if (!user) {
      user = { id, username, globalName };
      this.users.set(id, user);
    }
    return user;
  }

  /** The DM channel between the bot and a user (the same one every time, as on Discord). */
  dmChannelId(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(userId, id);
    }
    return id;
  }

  /** Every message the bot sent this user (DMs and interaction replies), oldest first; pending deferrals included. */
  messagesFor(userId: string): FakeMessage[] {
    return this.messages.filter((m) => m.userId === userId);
  }

  /** Every file the bot sent this user, in order. */
  filesFor(userId: string): FakeFile[] {
    return this.messagesFor(userId).flatMap((m) => m.files);
  }

  /** Time from dispatch to the bot's callback for each answered interaction, ms. */
  deferLatencies(ids?: string[]): number[] {
    return [...this.interactions.values()]
      .filter((i) => i.callbackAt !== null && (!ids || ids.includes(i.id)))
      .map((i) => i.callbackAt! - i.dispatchedAt);
  }

  /** Requests that matched no route (a bot bug or a gap in the fake). */
  unhandled(): RecordedRequest[] {
    return this.requests.filter((r) => r.status === 404 && r.route.startsWith('?'));
  }

  /** A file on the fake CDN, as the attachment object Discord puts in an interaction or message. */
  attachment(file: { fileName: string; content: Uint8Array; contentType?: string; declaredSize?: number }): Record<string, unknown> {
    const id = snowflake();
    const contentType = file.contentType ?? guessType(file.fileName);
    this.cdn.set(id, { fileName: file.fileName, contentType, content: file.content });
    const url = `${this.baseUrl}/cdn/attachments/${id}/${encodeURIComponent(file.fileName)}`;
    return { id, filename: file.fileName, size: file.declaredSize ?? file.content.length, url, proxy_url: url, content_type: contentType };
  }

  // ---------------------------------------------------------------- acting as a user

  private session(): Session {
    const live = [...this.sessions].filter((s) => s.identified && s.ws.readyState === s.ws.OPEN);
    const session = live.at(-1);
    if (!session) throw new Error('fake Discord: no bot is connected to the gateway');
    return session;
  }

  private dispatch(t: string, d: unknown, intent = 0): void {
    const session = this.session();
    // Like Discord: events behind an intent the bot did not ask for are not sent.
    if (intent !== 0 && (session.intents & intent) === 0) return;
    session.sequence += 1;
    session.ws.send(JSON.stringify({ op: 0, t, s: session.sequence, d }));
  }

  /** Closes the bot's gateway connection with a close code (4004: authentication failed). */
  disconnect(code: number, reason = ''): void {
    for (const s of this.sessions) s.ws.close(code, reason);
  }

  get connected(): boolean {
    return [...this.sessions].some((s) => s.identified && s.ws.readyState === s.ws.OPEN);
  }

  private userJson(user: FakeUser) {
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.globalName,
      avatar: null,
      bot: false,
      public_flags: 0,
    };
  }

  private botJson() {
    return {
      id: this.bot.id,
      username: this.bot.username,
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: 0,
    };
  }

  private baseInteraction(type: 2 | 3 | 4, userId: string, guildId: string | null, attachmentSizeLimit?: number): FakeInteraction {
    const user = this.user(userId);
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`;
    const channelId = guildId ? `${BigInt(guildId) + 1n}` : this.dmChannelId(userId);
    const limit = attachmentSizeLimit ?? this.options.attachmentSizeLimit;
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      channel_id: channelId,
      locale: 'en-GB',
      app_permissions: '2248473465835073',
      entitlements: [],
      attachment_size_limit: limit,
      authorizing_integration_owners: guildId ? { '0': guildId } : { '0': userId },
      context: guildId ? 0 : 1,
    };
    if (guildId) {
      payload.guild_id = guildId;
      payload.guild_locale = 'en-US';
      payload.guild = { id: guildId, locale: 'en-US', features: [] };
      payload.channel = {
        id: channelId,
        type: 0,
        guild_id: guildId,
        name: 'general',
        position: 0,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
        flags: 0,
        last_message_id: null,
      };
      payload.member = {
        user: this.userJson(user),
        roles: [],
        permissions: '2222085186637376',
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        nick: null,
        avatar: null,
      };
    } else {
      payload.user = this.userJson(user);
      payload.channel = { id: channelId, type: 1, flags: 0, last_message_id: null, recipients: [this.userJson(user)] };
    }
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      userId,
      guildId,
      channelId,
      dispatchedAt: 0,
      callbackAt: null,
      callback: null,
      late: false,
      attachmentSizeLimit: limit,
      payload,
    };
    this.interactions.set(id, interaction);
    return interaction;
  }

  private send(interaction: FakeInteraction): FakeInteraction {
    interaction.dispatchedAt = Date.now();
    this.dispatch('INTERACTION_CREATE', interaction.payload);
    return interaction;
  }

  private registeredCommand(name: string, guildId: string | null): CommandJson | undefined {
    const list = [...(this.registered.global ?? []), ...(guildId ? (this.registered.guilds.get(guildId) ?? []) : [])];
    return list.find((c) => c.name === name);
  }

  /** Builds interaction options the way Discord does: typed from the registered command, checked against it. */
  private buildOptions(command: string, spec: SlashOptions, guildId: string | null, focused?: string) {
    const registered = this.registeredCommand(command, guildId);
    let schema = registered?.options;
    if (spec.subcommand) {
      const sub = schema?.find((o) => o.name === spec.subcommand && o.type === 1);
      if (registered && !sub) throw new Error(`fake Discord: /${command} has no subcommand ${spec.subcommand}`);
      schema = sub?.options;
    }
    const resolved: Record<string, unknown> = {};
    const options = Object.entries(spec.options ?? {}).map(([name, value]) => {
      const declared = schema?.find((o) => o.name === name);
      if (registered && !declared)
        throw new Error(`fake Discord: /${command}${spec.subcommand ? ` ${spec.subcommand}` : ''} has no option ${name}`);
      const type =
        declared?.type ??
        (typeof value === 'object'
          ? 11
          : typeof value === 'boolean'
            ? 5
            : typeof value === 'number'
              ? Number.isInteger(value)
                ? 4
                : 10
              : 3);
      if (type === 11) {
        if (typeof value !== 'object') throw new Error(`fake Discord: option ${name} takes a file`);
        const att = this.attachment(value);
        resolved[att.id as string] = att;
        return { name, type, value: att.id };
      }
      if (typeof value === 'object') throw new Error(`fake Discord: option ${name} does not take a file`);
      if (name !== focused && declared) {
        if ((type === 4 || type === 10) && typeof value !== 'number') throw new Error(`fake Discord: ${name} must be a number`);
        if (type === 4 && !Number.isInteger(value)) throw new Error(`fake Discord: ${name} must be an integer`);
        if (
          typeof value === 'number' &&
          ((declared.min_value !== undefined && value < declared.min_value) ||
            (declared.max_value !== undefined && value > declared.max_value))
        ) {
          throw new Error(`fake Discord: the client does not let you send ${name}:${value} (${declared.min_value}–${declared.max_value})`);
        }
        if (declared.choices && !declared.choices.some((c) => c.value === value))
          throw new Error(`fake Discord: ${name} must be one of the choices`);
        if (typeof value === 'string' && declared.max_length !== undefined && value.length > declared.max_length)
          throw new Error(`fake Discord: ${name} is too long`);
      }
      return { name, type, value: name === focused ? String(value) : value, ...(name === focused ? { focused: true } : {}) };
    });
    for (const o of schema ?? []) {
      if (o.required && !(o.name in (spec.options ?? {})) && focused === undefined)
        throw new Error(`fake Discord: /${command} needs option ${o.name}`);
    }
    const top = spec.subcommand ? [{ name: spec.subcommand, type: 1, options }] : options;
    const commandId = this.commandIds.get(`${guildId ?? ''}:${command}`) ?? this.commandIds.get(`:${command}`) ?? snowflake();
    return {
      id: commandId,
      name: command,
      type: 1,
      options: top,
      ...(Object.keys(resolved).length > 0 ? { resolved: { attachments: resolved } } : {}),
      ...(registered && guildId && this.registered.guilds.has(guildId) ? { guild_id: guildId } : {}),
    };
  }

  /** The user runs a slash command (in the bot's DM unless `guildId`). */
  slash(userId: string, command: string, spec: SlashOptions = {}): FakeInteraction {
    const guildId = spec.guildId ?? null;
    const interaction = this.baseInteraction(2, userId, guildId, spec.attachmentSizeLimit);
    interaction.payload.data = this.buildOptions(command, spec, guildId);
    return this.send(interaction);
  }

  /** The user types in an autocomplete option; resolves with the suggestions the bot answered. */
  async autocomplete(
    userId: string,
    command: string,
    spec: SlashOptions & { focused: string },
    timeoutMs = 5000,
  ): Promise<{ name: string; value: string | number }[]> {
    const guildId = spec.guildId ?? null;
    const interaction = this.baseInteraction(4, userId, guildId);
    interaction.payload.data = this.buildOptions(command, spec, guildId, spec.focused);
    this.send(interaction);
    await this.waitFor(() => interaction.callback, timeoutMs, 'the autocomplete answer');
    if (interaction.callback?.type !== 8) throw new Error(`fake Discord: autocomplete answered with type ${interaction.callback?.type}`);
    return (interaction.callback.data?.choices ?? []) as { name: string; value: string | number }[];
  }

  /** The user presses a button (by custom_id) under a message the bot sent. */
  press(userId: string, messageId: string, customId: string): FakeInteraction {
    const message = this.messages.find((m) => m.id === messageId);
    if (!message) throw new Error(`fake Discord: no message ${messageId}`);
    const button = message.components.flatMap((r) => r.components).find((c) => c.custom_id === customId);
    if (!button) throw new Error(`fake Discord: message ${messageId} has no button ${customId}`);
    const guildId = message.source === 'interaction' ? (this.interactions.get(message.interactionId!)?.guildId ?? null) : null;
    const interaction = this.baseInteraction(3, userId, guildId);
    interaction.payload.data = { custom_id: customId, component_type: 2 };
    interaction.payload.message = this.messageJson(message);
    return this.send(interaction);
  }

  /** The user writes to the bot in their DM, optionally with attachments (or only a sticker). Returns the message id. */
  dm(
    userId: string,
    content: string,
    attachments: { fileName: string; content: Uint8Array; contentType?: string; declaredSize?: number }[] = [],
    extra: { sticker?: boolean } = {},
  ): string {
    const user = this.user(userId);
    const id = snowflake();
    this.dispatch(
      'MESSAGE_CREATE',
      {
        id,
        channel_id: this.dmChannelId(userId),
        // Discord says what kind of channel it is; discord.js needs it to build a DM channel it has not seen.
        channel_type: 1,
        author: this.userJson(user),
        content,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: attachments.map((a) => this.attachment(a)),
        ...(extra.sticker ? { sticker_items: [{ id: snowflake(), name: 'bike', format_type: 1 }] } : {}),
        embeds: [],
        pinned: false,
        type: 0,
        flags: 0,
        components: [],
      },
      DIRECT_MESSAGES,
    );
    return id;
  }

  /** Polls until `check` passes. */
  async waitFor<T>(check: () => T | null | undefined | false, timeoutMs = 10_000, what = 'the bot'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ---------------------------------------------------------------- gateway

  private onConnection(ws: WebSocket): void {
    const session: Session = { ws, identified: false, sequence: 0, sessionId: randomBytes(16).toString('hex'), intents: 0 };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => this.sessions.delete(session));
    ws.on('message', (raw) => {
      let packet: { op: number; d: unknown };
      try {
        packet = JSON.parse(String(raw)) as { op: number; d: unknown };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (packet.op) {
        case 1: // heartbeat
          this.heartbeats += 1;
          ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
          break;
        case 2: {
          // identify
          const d = packet.d as { token?: string; intents?: number };
          if (d.token !== this.token) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          this.identifies += 1;
          session.identified = true;
          session.intents = d.intents ?? 0;
          this.lastIntents = session.intents;
          session.sequence = 1;
          ws.send(
            JSON.stringify({
              op: 0,
              t: 'READY',
              s: 1,
              d: {
                v: 10,
                user: { ...this.botJson(), verified: true, mfa_enabled: false, flags: 0 },
                guilds: [],
                session_id: session.sessionId,
                resume_gateway_url: `${this.baseUrl.replace('http', 'ws')}/gateway`,
                application: { id: this.applicationId, flags: 0 },
                private_channels: [],
                relationships: [],
                user_settings: {},
                presences: [],
                guild_join_requests: [],
                geo_ordered_rtc_regions: [],
                shard: [0, 1],
              },
            }),
          );
          break;
        }
        case 6: // resume: not kept; tell the client to identify again
          ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
          break;
        default:
          break;
      }
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null }));
  }

  // ---------------------------------------------------------------- REST and CDN

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (url.pathname.startsWith('/cdn/attachments/')) {
      const id = url.pathname.split('/')[3] ?? '';
      const file = this.cdn.get(id);
      if (!file) return json(res, 404, { message: 'Not found' });
      this.cdnDownloads.push(id);
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.content.length });
      res.end(Buffer.from(file.content));
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      route: '',
      path: url.pathname,
      query: url.searchParams,
      at: Date.now(),
      authorization: req.headers.authorization ?? null,
      multipart: contentType.startsWith('multipart/form-data'),
      json: null,
      files: [],
      status: 0,
    };
    this.requests.push(record);
    try {
      if (record.multipart) {
        const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
        for (const [field, value] of form.entries()) {
          if (typeof value === 'string') {
            if (field === 'payload_json') record.json = JSON.parse(value);
          } else {
            record.files.push({
              fileName: value.name,
              contentType: value.type || guessType(value.name),
              content: new Uint8Array(await value.arrayBuffer()),
            });
          }
        }
      } else if (body.length > 0) {
        record.json = JSON.parse(body.toString('utf8'));
      }
      const segments = url.pathname
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      if (segments[0] !== 'api' || segments[1] !== 'v10') {
        record.route = `?${record.method} ${url.pathname}`;
        throw new HttpError(404, 0, '404: Not Found');
      }
      const result = this.route(record, segments.slice(2));
      record.status = result.status;
      if (result.body === undefined) {
        res.writeHead(result.status);
        res.end();
      } else json(res, result.status, result.body);
    } catch (error) {
      const e =
        error instanceof HttpError
          ? error
          : new HttpError(500, 0, `fake Discord: ${error instanceof Error ? error.message : String(error)}`);
      record.status = e.status;
      json(res, e.status, { message: e.message, code: e.code });
    }
  }

  private authorized(record: RecordedRequest): void {
    if (record.authorization !== `Bot ${this.token}`) throw new HttpError(401, 0, '401: Unauthorized');
  }

  private route(record: RecordedRequest, s: string[]): { status: number; body?: unknown } {
    const m = record.method;
    const path = s.join('/');
    record.route = `${m} /${path}`;
    if (m === 'GET' && path === 'gateway/bot') {
      this.authorized(record);
      return {
        status: 200,
        body: {
          url: `${this.baseUrl.replace('http', 'ws')}/gateway`,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
        },
      };
    }
    if (m === 'POST' && s[0] === 'interactions' && s.length === 4 && s[3] === 'callback') {
      record.route = `POST /interactions/${s[1]}/:token/callback`;
      return this.callback(record, s[1]!, s[2]!);
    }
    if (s[0] === 'webhooks' && s.length >= 3) {
      record.route = `${m} /webhooks/${s[1]}/:token${s.length > 3 ? `/${s.slice(3).join('/')}` : ''}`;
      return this.webhook(record, s[1]!, s[2]!, s[3] === 'messages' ? (s[4] ?? null) : null);
    }
    if (m === 'POST' && path === 'users/@me/channels') {
      this.authorized(record);
      const recipient = (record.json as { recipient_id?: string }).recipient_id;
      if (!recipient || !this.users.has(recipient)) throw new HttpError(400, 50007, 'Cannot send messages to this user');
      const user = this.users.get(recipient)!;
      return {
        status: 200,
        body: { id: this.dmChannelId(recipient), type: 1, last_message_id: null, flags: 0, recipients: [this.userJson(user)] },
      };
    }
    if (s[0] === 'channels' && s.length >= 3) {
      this.authorized(record);
      const userId = [...this.dmChannels.entries()].find(([, id]) => id === s[1])?.[0];
      if (!userId) throw new HttpError(404, 10003, 'Unknown Channel');
      if (m === 'POST' && s[2] === 'typing' && s.length === 3) return { status: 204 };
      if (m === 'POST' && s[2] === 'messages' && s.length === 3) {
        const message = this.createMessage({ channelId: s[1]!, userId, source: 'channel', interactionId: null, pending: false }, record);
        const out = this.messageJson(message);
        // Discord echoes the bot's own DM messages on the gateway; the bot must ignore them.
        if (this.connected) this.dispatch('MESSAGE_CREATE', { ...out, channel_type: 1 }, DIRECT_MESSAGES);
        return { status: 200, body: out };
      }
      if (m === 'PATCH' && s[2] === 'messages' && s.length === 4) {
        const message = this.messages.find((x) => x.id === s[3] && x.channelId === s[1]);
        if (!message) throw new HttpError(404, 10008, 'Unknown Message');
        this.applyEdit(message, record);
        return { status: 200, body: this.messageJson(message) };
      }
    }
    if (m === 'PUT' && s[0] === 'applications' && s[1] === this.applicationId) {
      this.authorized(record);
      const guildId = s[2] === 'guilds' ? s[3] : undefined;
      if ((guildId && path === `applications/${s[1]}/guilds/${guildId}/commands`) || path === `applications/${s[1]}/commands`) {
        const commands = record.json as CommandJson[];
        if (!Array.isArray(commands)) throw new HttpError(400, 50035, 'Invalid Form Body');
        if (guildId) this.registered.guilds.set(guildId, commands);
        else this.registered.global = commands;
        return {
          status: 200,
          body: commands.map((c) => {
            const key = `${guildId ?? ''}:${c.name}`;
            const id = this.commandIds.get(key) ?? snowflake();
            this.commandIds.set(key, id);
            return { ...c, id, application_id: this.applicationId, version: snowflake(), ...(guildId ? { guild_id: guildId } : {}) };
          }),
        };
      }
    }
    record.route = `?${record.route}`;
    throw new HttpError(404, 0, '404: Not Found');
  }

  private callback(record: RecordedRequest, id: string, token: string): { status: number; body?: unknown } {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token) throw new HttpError(404, 10062, 'Unknown interaction');
    if (interaction.callback || interaction.late) throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
    const now = Date.now();
    if (now - interaction.dispatchedAt > this.options.callbackDeadlineMs) {
      interaction.late = true;
      interaction.callbackAt = now;
      throw new HttpError(404, 10062, 'Unknown interaction');
    }
    const body = record.json as { type: number; data?: Record<string, unknown> };
    interaction.callbackAt = now;
    interaction.callback = body;
    const flags = Number(body.data?.flags ?? 0);
    if (body.type === 5 || body.type === 4) {
      const message = this.createMessage(
        {
          channelId: interaction.channelId,
          userId: interaction.userId,
          source: 'interaction',
          interactionId: id,
          pending: body.type === 5,
          flags,
        },
        body.type === 4 ? record : null,
      );
      message.flags = flags;
    } else if (body.type === 7 && interaction.type === 3) {
      const target = this.messages.find((m) => m.id === (interaction.payload.message as { id: string }).id);
      if (target) this.applyEdit(target, record);
    }
    return record.query.get('with_response') === 'true'
      ? { status: 200, body: { interaction: { id, type: interaction.type } } }
      : { status: 204 };
  }

  private interactionForToken(appId: string, token: string): FakeInteraction {
    if (appId !== this.applicationId) throw new HttpError(404, 10015, 'Unknown Webhook');
    const interaction = [...this.interactions.values()].find((i) => i.token === token);
    if (!interaction) throw new HttpError(401, 50027, 'Invalid Webhook Token');
    if (Date.now() - interaction.dispatchedAt > this.options.interactionTokenLifetimeMs)
      throw new HttpError(401, 50027, 'Invalid Webhook Token');
    return interaction;
  }

  private webhook(record: RecordedRequest, appId: string, token: string, messageId: string | null): { status: number; body?: unknown } {
    const interaction = this.interactionForToken(appId, token);
    // The reply the callback created (deferred or not) is the interaction's first message.
    const original =
      interaction.callback && (interaction.callback.type === 4 || interaction.callback.type === 5)
        ? this.messages.find((x) => x.interactionId === interaction.id)
        : undefined;
    if (record.method === 'POST' && messageId === null) {
      if (!interaction.callback) throw new HttpError(404, 10015, 'Unknown Webhook');
      // A follow-up right after a deferral fills the deferred reply (Discord's documented quirk).
      if (original?.pending) {
        this.applyEdit(original, record);
        return { status: 200, body: this.messageJson(original) };
      }
      const payload = record.json as { flags?: number } | null;
      const message = this.createMessage(
        {
          channelId: interaction.channelId,
          userId: interaction.userId,
          source: 'interaction',
          interactionId: interaction.id,
          pending: false,
          flags: Number(payload?.flags ?? 0),
        },
        record,
      );
      return { status: 200, body: this.messageJson(message) };
    }
    if (messageId === null) throw new HttpError(405, 0, '405: Method Not Allowed');
    const message =
      messageId === '@original' ? original : this.messages.find((x) => x.id === messageId && x.interactionId === interaction.id);
    if (!message) throw new HttpError(404, 10008, 'Unknown Message');
    if (record.method === 'PATCH') {
      this.applyEdit(message, record);
      return { status: 200, body: this.messageJson(message) };
    }
    if (record.method === 'GET') return { status: 200, body: this.messageJson(message) };
    if (record.method === 'DELETE') {
      this.messages.splice(this.messages.indexOf(message), 1);
      return { status: 204 };
    }
    throw new HttpError(405, 0, '405: Method Not Allowed');
  }

  private createMessage(
    init: {
      channelId: string;
      userId: string;
      source: FakeMessage['source'];
      interactionId: string | null;
      pending: boolean;
      flags?: number;
    },
    record: RecordedRequest | null,
  ): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      ...init,
      flags: init.flags ?? 0,
      content: '',
      components: [],
      embeds: [],
      files: [],
      edits: 0,
      history: [],
      createdAt: Date.now(),
    };
    if (record) {
      const data = ((record.json as { data?: unknown } | null)?.data ?? record.json) as Record<string, unknown> | null;
      this.fill(message, data, record.files);
    }
    this.messages.push(message);
    return message;
  }

  /** Applies message JSON (and files) to a message, after checking it as Discord would. */
  private fill(message: FakeMessage, data: Record<string, unknown> | null, files: FakeFile[]): void {
    const content = data && typeof data.content === 'string' ? data.content : message.content;
    if (content.length > 2000) throw new HttpError(400, 50035, 'Invalid Form Body: content: Must be 2000 or fewer in length.');
    if (files.length > 10) throw new HttpError(400, 50035, 'Invalid Form Body: files: Must be 10 or fewer in length.');
    const total = files.reduce((sum, f) => sum + f.content.length, 0);
    const interaction = message.interactionId ? this.interactions.get(message.interactionId) : undefined;
    const limit = interaction?.attachmentSizeLimit ?? this.options.attachmentSizeLimit;
    if (total > limit) throw new HttpError(413, 40005, 'Request entity too large');
    const embeds = data && Array.isArray(data.embeds) ? data.embeds : message.embeds;
    if (content === '' && files.length + message.files.length === 0 && embeds.length === 0)
      throw new HttpError(400, 50006, 'Cannot send an empty message');
    message.content = content;
    if (data && Array.isArray(data.components)) message.components = data.components as ActionRow[];
    message.embeds = embeds;
    message.files.push(...files);
    message.history.push(message.content);
  }

  private applyEdit(message: FakeMessage, record: RecordedRequest): void {
    const data = record.json as Record<string, unknown> | null;
    const wasPending = message.pending;
    this.fill(message, data, record.files);
    if (wasPending) message.pending = false;
    else message.edits += 1;
  }

  private messageJson(message: FakeMessage) {
    return {
      id: message.id,
      channel_id: message.channelId,
      type: message.source === 'interaction' ? 20 : 0,
      content: message.content,
      author: this.botJson(),
      timestamp: new Date(message.createdAt).toISOString(),
      edited_timestamp: message.edits > 0 ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: message.files.map((f, i) => ({
        id: `${message.id.slice(0, -2)}${String(i).padStart(2, '0')}`,
        filename: f.fileName,
        size: f.content.length,
        url: `${this.baseUrl}/cdn/sent/${message.id}/${encodeURIComponent(f.fileName)}`,
        proxy_url: `${this.baseUrl}/cdn/sent/${message.id}/${encodeURIComponent(f.fileName)}`,
        content_type: f.contentType,
      })),
      embeds: message.embeds,
      components: message.components,
      pinned: false,
      flags: message.flags,
      ...(message.source === 'interaction' ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    };
  }
}
