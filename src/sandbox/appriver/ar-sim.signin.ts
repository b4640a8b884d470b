// Clicks through the simulated AppRiver sign-in with plain HTTP, as a browser would: authorize page → choose
// the Secure Cloud IDP → sign in → Continue. For tests and benchmarks that need a real authorization code.

export interface SimSignIn {
  /** The full authorize URL (e.g. from AppRiverOAuthClient.authorizeUrl). */
  authorizeUrl: string;
  username: string;
  password?: string;
  decision?: 'continue' | 'cancel';
}

export interface SimSignInResult {
  /** Where the IDP finally redirected (redirect_uri with code & state, or with error). */
  location: string;
  code: string | null;
  state: string | null;
  error: string | null;
  errorDescription: string | null;
}

function hiddenFlow(html: string): string {
  const match = /name="flow" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No sign-in flow on the page: ${html.replace(/\s+/g, ' ').slice(0, 300)}`);
  return match[1];
}

async function post(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

function result(location: string): SimSignInResult {
  const url = new URL(location);
  const get = (k: string) => url.searchParams.get(k);
  return {
    location,
    code: get('code'),
    state: get('state'),
    error: get('error'),
    errorDescription: get('error_description'),
  };
}

export async function signInAtSimulatedAppRiver(input: SimSignIn): Promise<SimSignInResult> {
  const start = await fetch(input.authorizeUrl, { redirect: 'manual' });
  if (start.status === 302) return result(start.headers.get('location')!);
  if (start.status !== 200)
    throw new Error(`The authorize page answered ${start.status}: ${await start.text()}`);
  const base = new URL('.', start.url || input.authorizeUrl);
  const idp = await post(new URL('idp', base).toString(), {
    flow: hiddenFlow(await start.text()),
    idp: 'securecloud',
  });
  const signIn = await post(new URL('signin', base).toString(), {
    flow: hiddenFlow(await idp.text()),
    username: input.username,
    password: input.password ?? 'sandbox',
  });
  if (signIn.status === 302) return result(signIn.headers.get('location')!);
  const page = await signIn.text();
  if (!page.includes('value="continue"')) throw new Error('Sign-in failed: the consent page did not appear');
  const consent = await post(new URL('consent', base).toString(), {
    flow: hiddenFlow(page),
    decision: input.decision ?? 'continue',
  });
  if (consent.status !== 302) throw new Error(`Consent answered ${consent.status}`);
  return result(consent.headers.get('location')!);
}
