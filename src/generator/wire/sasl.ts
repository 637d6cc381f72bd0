/**
 * SASL/PLAIN authentication of a new broker connection (a SASL_PLAINTEXT listener): SaslHandshake
 * (API key 17) v1, then SaslAuthenticate (API key 36) v1 carrying the PLAIN token. Both requests
 * use request header v1, their responses header v0; neither version is flexible.
 *
 * SaslHandshake request:     size int32 | apiKey int16 | apiVersion int16 | correlationId int32 |
 *                            clientId STRING | mechanism STRING
 * SaslHandshake response:    correlationId int32 | errorCode int16 | mechanisms [STRING]
 * SaslAuthenticate request:  size int32 | apiKey int16 | apiVersion int16 | correlationId int32 |
 *                            clientId STRING | authBytes BYTES
 * SaslAuthenticate response: correlationId int32 | errorCode int16 | errorMessage NULLABLE_STRING |
 *                            authBytes BYTES | sessionLifetimeMs int64
 */
import type { BrokerConnection } from './connection.js';
import { KafkaConnectionError, SaslAuthenticationError, kafkaErrorName } from './errors.js';
import { MalformedResponseError } from './produceRequest.js';
import { Writer } from './writer.js';

export const SASL_HANDSHAKE_API_KEY = 17;
export const SASL_AUTHENTICATE_API_KEY = 36;
export const SASL_API_VERSION = 1;

const UNSUPPORTED_SASL_MECHANISM = 33;
const ILLEGAL_SASL_STATE = 34;

export interface SaslHandshakeRequest {
  correlationId: number;
  clientId: string | null;
  mechanism: string;
}

export interface SaslAuthenticateRequest {
  correlationId: number;
  clientId: string | null;
  authBytes: Uint8Array;
}

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms the listener has enabled. */
  mechanisms: string[];
}

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  /** 0 when the broker does not ask for re-authentication. */
  sessionLifetimeMs: number;
}

/** The whole request, size prefix included. */
export function encodeSaslHandshakeRequest(req: SaslHandshakeRequest, w = new Writer(256)): Buffer {
  writeHeader(w, SASL_HANDSHAKE_API_KEY, req.correlationId, req.clientId);
  w.string(req.mechanism);
  w.patchInt32(0, w.pos - w.start - 4);
  return w.take();
}

/** The whole request, size prefix included. */
export function encodeSaslAuthenticateRequest(req: SaslAuthenticateRequest, w = new Writer(256)): Buffer {
  writeHeader(w, SASL_AUTHENTICATE_API_KEY, req.correlationId, req.clientId);
  w.int32(req.authBytes.length);
  w.bytes(req.authBytes);
  w.patchInt32(0, w.pos - w.start - 4);
  return w.take();
}

function writeHeader(w: Writer, apiKey: number, correlationId: number, clientId: string | null): void {
  w.int32(0); // size, patched by the caller
  w.int16(apiKey);
  w.int16(SASL_API_VERSION);
  w.int32(correlationId);
  w.string(clientId);
}

/** `body`: the response after its size and correlation id. */
export function decodeSaslHandshakeResponse(body: Buffer): SaslHandshakeResponse {
  const r = new BodyReader(body, 'SaslHandshake');
  const errorCode = r.int16();
  const mechanisms: string[] = [];
  const n = r.int32();
  for (let i = 0; i < n; i++) mechanisms.push(r.string() ?? '');
  return { errorCode, mechanisms };
}

/** `body`: the response after its size and correlation id. */
export function decodeSaslAuthenticateResponse(body: Buffer): SaslAuthenticateResponse {
  const r = new BodyReader(body, 'SaslAuthenticate');
  return { errorCode: r.int16(), errorMessage: r.string(), authBytes: r.bytes(), sessionLifetimeMs: Number(r.int64()) };
}

class BodyReader {
  private p = 0;
  constructor(
    private readonly body: Buffer,
    private readonly what: string,
  ) {}

  private need(n: number): void {
    if (this.p + n > this.body.length) throw new MalformedResponseError(`${this.what} v${SASL_API_VERSION} response truncated at byte ${this.p} of ${this.body.length}`);
  }

  int16(): number {
    this.need(2);
    this.p += 2;
    return this.body.readInt16BE(this.p - 2);
  }

  int32(): number {
    this.need(4);
    this.p += 4;
    return this.body.readInt32BE(this.p - 4);
  }

  int64(): bigint {
    this.need(8);
    this.p += 8;
    return this.body.readBigInt64BE(this.p - 8);
  }

  /** STRING or NULLABLE_STRING (null for length -1). */
  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    this.need(n);
    this.p += n;
    return this.body.toString('utf8', this.p - n, this.p);
  }

  /** BYTES; a null (-1) reads as empty. */
  bytes(): Buffer {
    const n = this.int32();
    if (n < 0) return Buffer.alloc(0);
    this.need(n);
    this.p += n;
    return this.body.subarray(this.p - n, this.p);
  }
}

/** RFC 4616: authzid (empty here) NUL authcid NUL passwd, in UTF-8. */
export function plainToken(username: string, password: string): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(username, 'utf8'), Buffer.from([0]), Buffer.from(password, 'utf8')]);
}

export interface PlainCredentials {
  clientId: string | null;
  username: string;
  password: string;
}

/**
 * Authenticates a new connection with SASL/PLAIN; must come before any other request on it.
 * Rejects with a SaslAuthenticationError (not retriable) when the broker refuses, or with a
 * KafkaConnectionError (retriable) when the connection closes or the broker does not answer.
 */
export async function authenticatePlain(conn: BrokerConnection, opts: PlainCredentials, nextCorrelationId: () => number): Promise<void> {
  const user = JSON.stringify(opts.username);
  if (opts.username.includes('\0') || opts.password.includes('\0')) {
    throw new SaslAuthenticationError(`the SASL/PLAIN user name and password must not contain a NUL character (user ${user})`, null);
  }

  const handshakeId = nextCorrelationId();
  let handshakeBody: Buffer;
  try {
    handshakeBody = await conn.send(encodeSaslHandshakeRequest({ correlationId: handshakeId, clientId: opts.clientId, mechanism: 'PLAIN' }), handshakeId);
  } catch (err) {
    // a listener that does not speak SASL may close the connection instead of answering
    if (err instanceof KafkaConnectionError) {
      throw new KafkaConnectionError(`${err.message} during the SASL handshake: its listener does not seem to use SASL (or the broker went down)`);
    }
    throw err;
  }
  const handshake = decodeSaslHandshakeResponse(handshakeBody);
  if (handshake.errorCode === UNSUPPORTED_SASL_MECHANISM) {
    const offered = handshake.mechanisms.length > 0 ? `it offers: ${handshake.mechanisms.join(', ')}` : 'it offers none';
    throw new SaslAuthenticationError(`${conn.label} does not accept SASL/PLAIN (${offered})`, handshake.errorCode);
  }
  if (handshake.errorCode === ILLEGAL_SASL_STATE) {
    throw new SaslAuthenticationError(
      `${conn.label} answered the SASL handshake with ${describeCode(handshake.errorCode)}: its listener does not seem to use SASL (PLAINTEXT rather than SASL_PLAINTEXT?)`,
      handshake.errorCode,
    );
  }
  if (handshake.errorCode !== 0) {
    throw new SaslAuthenticationError(`${conn.label} refused the SASL/PLAIN handshake: ${describeCode(handshake.errorCode)}`, handshake.errorCode);
  }

  const authenticateId = nextCorrelationId();
  const authenticateRequest = encodeSaslAuthenticateRequest({
    correlationId: authenticateId,
    clientId: opts.clientId,
    authBytes: plainToken(opts.username, opts.password),
  });
  const auth = decodeSaslAuthenticateResponse(await conn.send(authenticateRequest, authenticateId));
  if (auth.errorCode !== 0) {
    const reason = auth.errorMessage ? withoutSecret(auth.errorMessage, opts.password) : describeCode(auth.errorCode);
    throw new SaslAuthenticationError(`${conn.label} refused the credentials of user ${user}: ${reason}`, auth.errorCode);
  }
}

function describeCode(code: number): string {
  return `${kafkaErrorName(code)} (${code})`;
}

/** The broker's message is shown as it is, unless it echoes the password. */
function withoutSecret(message: string, password: string): string {
  return password.length > 0 ? message.split(password).join('***') : message;
}
