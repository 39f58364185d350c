/** A small HTTP client for the API under test, using Node's fetch and FormData. */
export class ApiClient {
  constructor(readonly baseUrl: string, private readonly key?: string) {}

  withKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { ...this.auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) as any };
  }

  /** A multipart POST; a field given several buffers is sent as that many parts of the same name (e.g. frames). */
  async multipart(path: string, files: Record<string, Buffer | readonly Buffer[]>, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const [name, parts] of Object.entries(files)) {
      for (const bytes of Array.isArray(parts) ? parts : [parts]) form.append(name, new Blob([new Uint8Array(bytes)]), `${name}.jpg`);
    }
    const res = await fetch(this.baseUrl + path, { method: 'POST', headers: { ...this.auth(), ...headers }, body: form });
    return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) as any };
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

  private auth(): Record<string, string> {
    return this.key ? { authorization: `Bearer ${this.key}` } : {};
  }
}
