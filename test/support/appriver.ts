import request from 'supertest';

const flowOf = (html: string) => /name="flow" value="([^"]+)"/.exec(html)?.[1];

/**
 * A person at the simulated AppRiver sign-in: choose "Secure Cloud IDP", sign in, Continue (or Cancel).
 * Starts from our /appriver/oauth/start URL and returns where AppRiver redirects the browser back to.
 */
export async function signInAtAppRiver(
  startUrl: string,
  username = 'billing@acme.example',
  decision: 'continue' | 'cancel' = 'continue',
): Promise<string> {
  const start = await request(startUrl).get('').redirects(0);
  if (start.status !== 302) throw new Error(`start: ${start.status} ${start.text.slice(0, 300)}`);
  const authorize = new URL(start.headers.location);
  const base = `${authorize.origin}${authorize.pathname.replace(/\/authorize$/, '')}`;
  const page = await request(authorize.toString()).get('').expect(200);
  const flow = flowOf(page.text);
  const idp = await request(base).post('/idp').type('form').send({ flow, idp: 'securecloud' }).expect(200);
  const signin = await request(base)
    .post('/signin')
    .type('form')
    .send({ flow: flowOf(idp.text), username, password: 'sandbox' });
  if (signin.status === 302) return signin.headers.location; // refused at sign-in (e.g. no Customer Portal Administrator)
  const consent = await request(base)
    .post('/consent')
    .type('form')
    .send({ flow: flowOf(signin.text), decision })
    .expect(302);
  return consent.headers.location;
}
