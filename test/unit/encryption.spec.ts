import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decrypt, DecryptionError, encrypt, resolveEncryptionKey } from '../../src/database';

describe('secrets at rest', () => {
  const key = randomBytes(32);

  it('stores ciphertext that does not contain the secret and round-trips', () => {
    const stored = encrypt('sandbox-private', key);
    expect(stored).not.toContain('sandbox-private');
    expect(stored).toMatch(/^enc:v1:/);
    expect(decrypt(stored, key)).toBe('sandbox-private');
  });

  it('uses a fresh IV: the same secret encrypts differently each time', () => {
    expect(encrypt('same', key)).not.toBe(encrypt('same', key));
  });

  it('refuses a wrong key with a clear error instead of returning garbage', () => {
    const stored = encrypt('secret', key);
    expect(() => decrypt(stored, randomBytes(32))).toThrow(DecryptionError);
    expect(() => decrypt(stored, randomBytes(32))).toThrow(/APP_ENCRYPTION_KEY/);
  });

  it('refuses a tampered value', () => {
    const stored = encrypt('secret', key);
    const tampered = stored.slice(0, -4) + (stored.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => decrypt(tampered, key)).toThrow(DecryptionError);
  });

  it('generates a sandbox key once and keeps it under the data directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-key-'));
    const first = resolveEncryptionKey(null, dir, true);
    expect(resolveEncryptionKey(null, dir, true).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    expect(() => resolveEncryptionKey(null, dir, false)).toThrow(/required in live mode/);
  });

  it('accepts a configured key as hex or base64', () => {
    const hex = key.toString('hex');
    expect(resolveEncryptionKey(hex, '/nonexistent', false).equals(key)).toBe(true);
    expect(resolveEncryptionKey(key.toString('base64'), '/nonexistent', false).equals(key)).toBe(true);
  });
});
