/** A position in an (updated_at, id) keyset: the last row served. */
export interface KeysetPosition {
  updatedAt: number;
  id: string;
}

/**
 * What an `after` cursor carries: the dataset it belongs to, the last row of the page it
 * ends, and the watermark of the pull it continues, so every page of one paged pull serves
 * the same (…, W] window and no record is skipped or served twice while records change.
 */
export interface ExtractCursor {
  dataset: string;
  position: KeysetPosition;
  watermark: number;
}

/** Opaque to clients: base64url of a small versioned JSON. */
export function encodeCursor(c: ExtractCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, d: c.dataset, u: c.position.updatedAt, i: c.position.id, w: c.watermark })).toString('base64url');
}

/** Decodes a cursor; null when it is not one this service issued (the caller answers 400). */
export function decodeCursor(s: string): ExtractCursor | null {
  if (s.length > 512 || !/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
    const ok =
      o.v === 1 &&
      typeof o.d === 'string' &&
      Number.isSafeInteger(o.u) &&
      typeof o.i === 'string' &&
      o.i.length <= 64 &&
      Number.isSafeInteger(o.w) &&
      (o.u as number) <= (o.w as number);
    return ok ? { dataset: o.d as string, position: { updatedAt: o.u as number, id: o.i as string }, watermark: o.w as number } : null;
  } catch {
    return null;
  }
}
