/** `clientSecret()`: the client-credentials grant authenticated with the application's client secret. */
import { InvalidOptionError } from '../errors';
import { makeCredential, requireString, validateClientId, validateGrants, type Credential } from '../credential';

export interface ClientSecretOptions {
  clientId: string;
  clientSecret: string;
  /** How the secret is sent: in the form body (default, Auth0's default) or as HTTP Basic auth. */
  authMethod?: 'client_secret_post' | 'client_secret_basic' | undefined;
  /** The scopes this application is granted, when known (pool selection uses them). */
  grants?: readonly string[] | undefined;
}

export function clientSecret(options: ClientSecretOptions): Credential {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('clientSecret', 'pass {clientId, clientSecret}');
  }
  const clientId = validateClientId('clientId', options.clientId);
  const secret = requireString('clientSecret', options.clientSecret, "the application's client secret");
  const authMethod = options.authMethod ?? 'client_secret_post';
  if (authMethod !== 'client_secret_post' && authMethod !== 'client_secret_basic') {
    throw new InvalidOptionError('authMethod', "must be 'client_secret_post' or 'client_secret_basic'");
  }
  const grants = validateGrants(options.grants);
  return makeCredential(
    'client-secret',
    clientId,
    grants,
    {
      type: 'http',
      async authenticate(): Promise<{ body: Record<string, string>; headers: Record<string, string>; secrets: string[] }> {
        if (authMethod === 'client_secret_basic') {
          // RFC 6749 §2.3.1: form-urlencode both parts before base64.
          const basic = `${formEncode(clientId)}:${formEncode(secret)}`;
          const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(basic)));
          return { body: {}, headers: { authorization: `Basic ${encoded}` }, secrets: [secret, encoded] };
        }
        return { body: { client_secret: secret }, headers: {}, secrets: [secret] };
      },
    },
    { authMethod },
  );
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}
