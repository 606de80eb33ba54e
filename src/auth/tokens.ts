import { createHash, randomBytes } from 'node:crypto';

/** Machine tokens and session ids: 256 random bits, shown once, stored only as SHA-256. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
