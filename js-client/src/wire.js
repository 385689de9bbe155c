/**
 * One WebSocket connection to a relay, speaking GunDB's wire protocol: JSON frames holding one
 * message or an array of them, the DAM `?` handshake, and reconnects with capped exponential
 * backoff (min(2^n × 100 ms, 2500 ms)).
 * @module wire
 */

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random id as gun makes them: `length` characters from [0-9A-Za-z].
 * @param {number} [length]
 */
export function randomId(length = 9) {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const b of bytes) {
    id += ID_CHARS[b % ID_CHARS.length];
  }
  return id;
}

/**
 * The delay before reconnect attempt `n` (0-based).
 * @param {number} attempt
 */
export function backoffMs(attempt) {
  return Math.min(2 ** attempt * 100, 2500);
}

/** @typedef {Record<string, any>} Message */

/**
 * @typedef {object} PeerHandlers
 * @property {(peer: Peer) => void} onOpen called on every (re)connect
 * @property {(message: Message, peer: Peer) => void} onMessage called per received message
 * @property {(peer: Peer) => void} onClose called when a connection is lost
 */

export class Peer {
  /**
   * @param {string} url `ws(s)://…/gun` (or `http(s)://…`, which gun accepts too)
   * @param {string} pid this client's DAM peer id
   * @param {Promise<any>} webSocketClass resolves to a WebSocket constructor
   * @param {PeerHandlers} handlers
   */
  constructor(url, pid, webSocketClass, handlers) {
    this.url = url.replace(/^http/, 'ws');
    /** @private */ this.pid = pid;
    /** @private */ this.webSocketClass = webSocketClass;
    /** @private */ this.handlers = handlers;
    /** @type {any} @private */ this.socket = null;
    /** @private */ this.attempt = 0;
    /** @private */ this.closed = false;
    /** @type {ReturnType<typeof setTimeout> | null} @private */ this.retry = null;
    /** True while the socket is open. */
    this.open = false;
    /** @private @type {() => void} */ this.attempted = () => {};
    /** Resolves once the first connection attempt opened or failed. */
    this.firstAttempt = new Promise((resolve) => { this.attempted = () => resolve(undefined); });
  }

  /** Opens the connection (and keeps reopening it until {@link close}). */
  async connect() {
    const WebSocketClass = await this.webSocketClass;
    if (this.closed) {
      return;
    }
    let socket;
    try {
      socket = new WebSocketClass(this.url);
    } catch (e) {
      this.attempted();
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.open = true;
      this.attempt = 0;
      this.attempted();
      this.handlers.onOpen(this);
    };
    socket.onmessage = (/** @type {{data: any}} */ event) => this.receive(String(event.data));
    socket.onerror = () => {};
    socket.onclose = () => {
      const wasOpen = this.open;
      this.open = false;
      this.attempted();
      this.socket = null;
      if (wasOpen) {
        this.handlers.onClose(this);
      }
      this.scheduleReconnect();
    };
  }

  /** @private */
  scheduleReconnect() {
    if (this.closed || this.retry !== null) {
      return;
    }
    const delay = backoffMs(this.attempt++);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, delay);
  }

  /**
   * Sends one message, or several as one array frame. Returns false if not connected.
   * @param {Message | Message[]} message
   */
  send(message) {
    if (!this.open || !this.socket) {
      return false;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Drops the current connection; it will be reopened with backoff (offline simulation). */
  drop() {
    if (this.socket) {
      this.socket.close();
    }
  }

  /** @private @param {string} text */
  receive(text) {
    const first = text.trimStart()[0];
    if (first !== '{' && first !== '[') {
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return;
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of messages) {
      if (message && typeof message === 'object' && !Array.isArray(message)) {
        this.handleOne(message);
      }
    }
  }

  /** @private @param {Message} message */
  handleOne(message) {
    if (message.dam === '?' && message['@'] === undefined) {
      this.send({ '#': randomId(), '@': message['#'], dam: '?', pid: this.pid });
      return;
    }
    if (message.dam === '!') {
      console.warn(`Soulgraph: relay ${this.url} reported an error: ${message.err}`);
    }
    if (message.dam !== undefined) {
      return;
    }
    this.handlers.onMessage(message, this);
  }

  /** Closes the connection for good. */
  close() {
    this.closed = true;
    this.attempted();
    if (this.retry !== null) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
      this.socket = null;
    }
    this.open = false;
  }
}
