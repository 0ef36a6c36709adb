// A small, real OpenID Connect provider for the sign-in tests.
// Started by tests/auth/conftest.py: node provider.mjs <port>, with the settings in the
// environment (OIDC_TEST_CONFIG: JSON with the signing keys, the clients and the path of a
// JSON file of people, read at every sign-in so a test can change what the directory says).
// It prints "ready <issuer>" once it listens on 127.0.0.1.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const settings = JSON.parse(process.env.OIDC_TEST_CONFIG);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: settings.clients,
  jwks: { keys: settings.keys },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    org: ['department', 'groups'],
  },
  scopes: ['openid', 'email', 'profile', 'org'],
  features: {
    devInteractions: { enabled: true }, // the login form: any password for a known login
    rpInitiatedLogout: { enabled: true },
  },
  // Everyone's claims in the ID token too (the app reads them from there).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: {
    // One client gets codes that expire almost at once (the "expired code" test).
    AuthorizationCode: (ctx, token, client) => (client.clientId === 'short-lived' ? 1 : 60),
    IdToken: 600,
    AccessToken: 600,
    Session: 600,
    Interaction: 600,
    Grant: 600,
  },
  cookies: { keys: ['test-only-cookie-key'] },
  async findAccount(ctx, id) {
    const person = JSON.parse(readFileSync(settings.peopleFile, 'utf8'))[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...person }; } };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
