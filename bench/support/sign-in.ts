/** Signs in over HTTP the way a browser does and returns the Cookie header to replay under load. */

type Jar = Map<string, string>;

function remember(jar: Jar, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function cookieHeader(jar: Jar): string {
  return [...jar.entries()].map(([name, value]) => `${name}=${value}`).join('; ');
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar: Jar = new Map();
  const page = await fetch(`${baseUrl}/login`, { redirect: 'manual' });
  remember(jar, page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error(`no CSRF token on /login (status ${page.status})`);
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  await response.arrayBuffer();
  if (response.status !== 302) throw new Error(`sign-in failed for ${email}: HTTP ${response.status}`);
  remember(jar, response);
  if (!jar.has('tenantry.sid')) throw new Error('sign-in returned no session cookie');
  return cookieHeader(jar);
}

/** Signs in many users over HTTP, a few at a time (their sessions are independent), and returns their Cookie headers in order. */
export async function signInAll(baseUrl: string, emails: string[], password: string, parallel = 8): Promise<string[]> {
  const cookies: string[] = new Array<string>(emails.length);
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const i = next++;
      cookies[i] = await signIn(baseUrl, emails[i], password);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return cookies;
}

/** Fails fast when a path does not answer 200 with the signed-in cookie (a broken setup would only show as non-2xx later). */
export async function expectOk(baseUrl: string, path: string, cookie?: string): Promise<void> {
  const response = await fetch(baseUrl + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${body.slice(0, 200)}`);
}
