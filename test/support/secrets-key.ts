import { SecretBox, parseSecretsKey } from '../../src/platform/secrets/secret-box';

/** The HOOKHUB_SECRETS_KEY of test hubs and CLI runs (32 bytes, base64), unless the environment sets one. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

/** The plain value of a secret as a test hub stored it (sealed with the test key). */
export function openSecret(stored: string): string {
  return new SecretBox(parseSecretsKey(process.env.HOOKHUB_SECRETS_KEY ?? TEST_SECRETS_KEY, 'HOOKHUB_SECRETS_KEY')).open(stored);
}
