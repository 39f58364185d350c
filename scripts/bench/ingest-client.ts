/**
 * The ingestion benchmark's HTTP client: multipart bodies encoded once, then sent as they are over keep-alive
 * loopback connections. Test support's ApiClient builds a FormData (and copies every file) per request; at 100+
 * uploads/s of 2 MB that client work would compete with the API for the same two cores and lower its figure.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';

/** A multipart/form-data body ready to send. */
export interface EncodedForm {
  readonly body: Buffer;
  readonly contentType: string;
}

/** One upload as the client saw it. Times in ms from `performance.now()`. */
export interface UploadOutcome {
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status; 0 when no answer came (the connection failed). */
  readonly status: number;
  /** The error body's code, or the socket error's code when status is 0. */
  readonly code: string | null;
  /** The Retry-After header of a 503, in seconds. */
  readonly retryAfter: string | null;
}

/** Encodes JPEG files as a multipart form; a field given several files gets that many parts (e.g. frames). */
export function encodeForm(files: Readonly<Record<string, Buffer | readonly Buffer[]>>): EncodedForm {
  const boundary = `----zinda-bench-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(files)) {
    for (const bytes of Buffer.isBuffer(value) ? [value] : value) {
      parts.push(Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ), bytes, Buffer.from('\r\n'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts encoded forms to one API with one bearer key; keeps connections open between uploads. */
export class UploadClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(private readonly baseUrl: string, private readonly key: string) {}

  post(path: string, form: EncodedForm): Promise<UploadOutcome> {
    const startedAt = performance.now();
    return new Promise((resolve) => {
      const done = (status: number, code: string | null, retryAfter: string | null = null) =>
        resolve({ startedAt, endedAt: performance.now(), status, code, retryAfter });
      const req = http.request(new URL(path, this.baseUrl), {
        method: 'POST', agent: this.agent,
        headers: { authorization: `Bearer ${this.key}`, 'content-type': form.contentType, 'content-length': form.body.length },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => done(0, error.code ?? error.message));
        res.on('end', () => {
          let code: string | null = null;
          if ((res.statusCode ?? 0) >= 400) {
            try {
              code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code ?? null;
            } catch {
              code = 'UNREADABLE_BODY';
            }
          }
          const retryAfter = res.headers['retry-after'];
          done(res.statusCode ?? 0, code, typeof retryAfter === 'string' ? retryAfter : null);
        });
      });
      // A server that answers early (e.g. 503) may close before the whole body is sent: record the answer if one came.
      req.on('error', (error: NodeJS.ErrnoException) => done(0, error.code ?? error.message));
      req.end(form.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
