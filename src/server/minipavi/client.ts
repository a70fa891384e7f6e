/**
 * One call to a MiniPavi service: POST the request as JSON with a
 * User-Agent that names MiniPAVI (the libraries refuse other callers), and
 * read the answer within MINIPAVI_LIMITS. Only hosts the configuration
 * allows are ever called, the first URL, every `next` and every redirect
 * alike, so a service cannot make the gateway fetch arbitrary addresses.
 */
import { MINIPAVI_LIMITS } from './limits.js';
import { MiniPaviError, readAnswer, type MiniPaviAnswer, type MiniPaviRequest } from './protocol.js';

export const USER_AGENT = 'MiniPAVI-compatible Teletel gateway';

export interface CallOptions {
  /** Host names (and host:port) that may be called. */
  allowedHosts: ReadonlySet<string>;
  timeoutMs?: number;
}

/** URLPARAMS: the query of the URL about to be called (each `next` has its own, as on MiniPavi). */
export function urlParamsOf(url: string): Record<string, string> | undefined {
  const params = [...new URL(url).searchParams].slice(0, MINIPAVI_LIMITS.urlParams);
  return params.length === 0 ? undefined : Object.fromEntries(params);
}

/** Whether `url` may be called: http(s) to an allowed host. */
export function allowedUrl(url: string, allowedHosts: ReadonlySet<string>): URL {
  if (url.length > MINIPAVI_LIMITS.urlCharacters) throw new MiniPaviError('host', `a URL of more than ${MINIPAVI_LIMITS.urlCharacters} characters is not called`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MiniPaviError('host', `'${url.slice(0, 200)}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new MiniPaviError('host', `${parsed.protocol} URLs are not called`);
  if (!allowedHosts.has(parsed.host) && !allowedHosts.has(parsed.hostname)) {
    throw new MiniPaviError('host', `${parsed.host} is not an allowed host for this service`);
  }
  return parsed;
}

/** The service's answer; undefined for an empty body, which MiniPavi reads as "nothing changes" (services answer FIN so). */
export async function callService(url: string, request: MiniPaviRequest, options: CallOptions): Promise<MiniPaviAnswer | undefined> {
  const body = JSON.stringify(request);
  const signal = AbortSignal.timeout(options.timeoutMs ?? MINIPAVI_LIMITS.timeoutMs);
  let target = allowedUrl(url, options.allowedHosts);
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, Accept: 'application/json' },
        body,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new MiniPaviError('timeout', `no answer from ${target.host} within ${options.timeoutMs ?? MINIPAVI_LIMITS.timeoutMs} ms`);
      throw new MiniPaviError('network', `${target.host}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (location === null) throw new MiniPaviError('status', `HTTP ${response.status} without a Location`);
      if (redirects >= MINIPAVI_LIMITS.redirects) throw new MiniPaviError('redirect', `more than ${MINIPAVI_LIMITS.redirects} redirects`);
      target = allowedUrl(new URL(location, target).href, options.allowedHosts);
      continue;
    }
    const text = await readBounded(response, signal, target.host);
    if (response.status < 200 || response.status >= 300) throw new MiniPaviError('status', `HTTP ${response.status} from ${target.host}`);
    if (text.trim() === '') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new MiniPaviError('json', `the answer from ${target.host} is not JSON`);
    }
    return readAnswer(json);
  }
}

/** The body as text, refused past MINIPAVI_LIMITS.answerBytes without reading the rest. */
async function readBounded(response: Response, signal: AbortSignal, host: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MINIPAVI_LIMITS.answerBytes) {
    await response.body?.cancel();
    throw new MiniPaviError('size', `the answer from ${host} is ${declared} bytes; at most ${MINIPAVI_LIMITS.answerBytes}`);
  }
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MINIPAVI_LIMITS.answerBytes) {
        await reader.cancel();
        throw new MiniPaviError('size', `the answer from ${host} is over ${MINIPAVI_LIMITS.answerBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof MiniPaviError) throw error;
    if (signal.aborted) throw new MiniPaviError('timeout', `the answer from ${host} did not finish in time`);
    throw new MiniPaviError('network', `${host}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
