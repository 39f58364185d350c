/**
 * A small HTTP client for the API under test, using Node's fetch and FormData. Like the phone app, it keeps the device
 * credential of each subject it was linked to (`actAs`) and sends it, instead of its key, on that subject's routes and
 * on the submissions it sent with it (docs/SECURITY.md).
 */
export class ApiClient {
  private readonly devices = new Map<string, string>();
  private readonly submissionTokens = new Map<string, string>();

  constructor(readonly baseUrl: string, readonly key?: string) {}

  /** A client with another key and no device credentials. */
  withKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  /** From now on, act for this subject with this device credential. */
  actAs(subjectId: string, token: string): this {
    this.devices.set(subjectId.trim().toUpperCase(), token);
    return this;
  }

  /** The device credential this client holds for a subject, if any. */
  deviceToken(subjectId: string): string | undefined {
    return this.devices.get(subjectId.trim().toUpperCase());
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.auth(path), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return this.answer(path, res, headers);
  }

  /** A multipart POST; a field given several buffers is sent as that many parts of the same name (e.g. frames). */
  async multipart(path: string, files: Record<string, Buffer | readonly Buffer[]>, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const [name, parts] of Object.entries(files)) {
      for (const bytes of Array.isArray(parts) ? parts : [parts]) form.append(name, new Blob([new Uint8Array(bytes)]), `${name}.jpg`);
    }
    const res = await fetch(this.baseUrl + path, { method: 'POST', headers: { ...this.auth(path), ...headers }, body: form });
    return this.answer(path, res, headers);
  }

  /** Polls a submission until it is terminal (completed or failed). */
  async waitForSubmission(id: string, timeoutMs = 60_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.json('GET', `/v1/submissions/${id}`);
      if (res.status !== 200) throw new Error(`GET submission answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
      if (Date.now() > until) throw new Error(`submission ${id} still ${res.body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** The credential for a path: the subject's device credential when held, else the key; an explicit header wins. */
  private auth(path: string): Record<string, string> {
    const token = this.tokenFor(path);
    if (token) return { authorization: `Bearer ${token}` };
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }

  private tokenFor(path: string): string | undefined {
    const subject = /^\/v1\/subjects\/([^/?]+)/.exec(path)?.[1];
    if (subject) return this.deviceToken(decodeURIComponent(subject));
    const submission = /^\/v1\/submissions\/([^/?]+)/.exec(path)?.[1];
    return submission ? this.submissionTokens.get(submission) : undefined;
  }

  /** Reads the answer; a submission sent with a device credential is later read with it too. */
  private async answer(path: string, res: Response, headers: Record<string, string>) {
    const body = await res.json().catch(() => null) as any;
    const token = this.tokenFor(path);
    if (token && !headers.authorization && typeof body?.submissionId === 'string') this.submissionTokens.set(body.submissionId, token);
    return { status: res.status, headers: res.headers, body };
  }
}
