import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValueTransformer } from 'typeorm';

const PREFIX = 'enc:v1:';
let activeKey: Buffer | null = null;

export class DecryptionError extends Error {
  constructor() {
    super(
      'A stored secret cannot be decrypted with the configured APP_ENCRYPTION_KEY. ' +
        'Restore the key the data was written with, or re-enter the credentials to store them again.',
    );
  }
}

export function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('APP_ENCRYPTION_KEY must decode to exactly 32 bytes');
  return key;
}

/** The configured key, or in sandbox mode one generated once and kept beside the SQLite file. */
export function resolveEncryptionKey(configured: string | null, dataDir: string, sandbox: boolean): Buffer {
  if (configured) return parseKey(configured);
  if (!sandbox) throw new Error('APP_ENCRYPTION_KEY is required in live mode');
  const file = path.join(dataDir, 'encryption.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return parseKey(fs.readFileSync(file, 'utf8').trim());
}

export function setEncryptionKey(key: Buffer): void {
  activeKey = key;
}

function requireKey(): Buffer {
  if (!activeKey) throw new Error('Encryption key not initialised');
  return activeKey;
}

/** AES-256-GCM with a fresh IV per value; the tag makes a wrong key fail loudly instead of returning garbage. */
export function encrypt(plain: string, key = requireKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function decrypt(stored: string, key = requireKey()): string {
  if (!stored.startsWith(PREFIX)) throw new DecryptionError();
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError();
  }
}

/** Column transformer: entities hold plain text, the database only ever sees ciphertext. */
export const encrypted: ValueTransformer = {
  to: (value: string | null | undefined) => (value == null ? value : encrypt(value)),
  from: (value: string | null) => (value == null ? value : decrypt(value)),
};
