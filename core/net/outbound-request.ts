import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPublicAddress } from './outbound-address';
import { msg } from '../i18n/message';
import { inEnglish } from '../i18n/translator';

/** Why a URL may not be called, as a sentence: `text` as made by msg() (shown next to the field), `message` its English (the delivery log). */
export class OutboundRefused extends Error {
  readonly text: string;

  constructor(text: string) {
    super(inEnglish(text));
    this.text = text;
  }
}

export interface OutboundPolicy {
  /** Private, loopback and link-local addresses are allowed (WEBHOOKS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Replaces DNS in tests. */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

export interface ResolvedTarget {
  url: URL;
  host: string;
  address: string;
  family: number;
}

const systemResolve = (host: string) => dns.promises.lookup(host, { all: true, verbatim: true });

/** An http(s) URL with a host and no credentials; anything else is refused with the reason. */
export function parseOutboundUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundRefused(msg('is not a URL'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(msg('must start with http:// or https://'));
  if (url.username || url.password) throw new OutboundRefused(msg('must not contain a user name or password'));
  if (!url.hostname) throw new OutboundRefused(msg('must name a host'));
  return url;
}

/**
 * Resolves the URL's host once and checks every address it resolves to. A host with any private,
 * loopback, link-local or otherwise special address is refused (unless the policy allows them).
 * The caller then connects to the address checked here, never to a second resolution of the name
 * (which could answer differently: DNS rebinding).
 */
export async function resolveOutbound(text: string, policy: OutboundPolicy): Promise<ResolvedTarget> {
  const url = parseOutboundUrl(text);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      throw new OutboundRefused(msg('names a host that does not resolve ({{host}})', { host }));
    }
  }
  if (!addresses.length) throw new OutboundRefused(msg('names a host that does not resolve ({{host}})', { host }));
  if (!policy.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused)
      throw new OutboundRefused(
        msg('resolves to {{address}}, a private, loopback or reserved address; webhooks only go to public addresses', { address: refused.address }),
      );
  }
  return { url, host, address: addresses[0].address, family: addresses[0].family };
}

export interface OutboundResponse {
  status: number;
  durationMs: number;
}

/**
 * POSTs a body to a resolved target, connecting to the checked address (the Host header and TLS
 * name stay the URL's). Redirects are not followed; the answer's body is read up to 4 KB and dropped.
 * `timeoutMs` bounds the whole exchange, not the silence between two packets: a receiver that
 * sends its headers or its body a byte at a time is cut off at it like one that never answers
 * (the status, when it came, is the answer).
 */
export function postTo(target: ResolvedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<OutboundResponse> {
  const started = Date.now();
  const client = target.url.protocol === 'https:' ? https : http;
  const lookup: net.LookupFunction = (_host, options, callback) => {
    const cb = callback as (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
    if ((options as dns.LookupOptions).all) cb(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  return new Promise((resolve, reject) => {
    const settle =
      <T>(finish: (value: T) => void) =>
      (value: T) => {
        clearTimeout(deadline);
        finish(value);
      };
    const answered = settle(resolve);
    const failed = settle(reject);
    let answer: http.IncomingMessage | undefined;
    const req = client.request(
      target.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Tenantry-Webhooks/1', ...headers },
        lookup,
      },
      (res) => {
        answer = res;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 4096) res.destroy();
        });
        const done = () => answered({ status: res.statusCode ?? 0, durationMs: Date.now() - started });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const deadline = setTimeout(() => {
      // Its status came: that is the answer, whatever the body still holds back.
      if (answer) answer.destroy();
      else req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    req.on('error', failed);
    req.end(body);
  });
}
