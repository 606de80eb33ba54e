import type { FieldDef } from '../domain/datasets';

/** 张三 → 张*, 欧阳娜娜 → 欧***: keep the first character, hide the rest. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** 13812345678 → 138****5678; shorter numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const digits = [...phone];
  if (digits.length >= 11) return digits.slice(0, 3).join('') + '****' + digits.slice(-4).join('');
  return '*'.repeat(Math.max(0, digits.length - 2)) + digits.slice(-2).join('');
}

/** Masks one personal value by its kind (datasets.ts `personal`): names and phones masked, free text withheld. */
export function maskValue(kind: NonNullable<FieldDef['personal']>, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (kind === 'name') return maskName(String(value));
  if (kind === 'phone') return maskPhone(String(value));
  return null;
}

/** A row (by field name) with every field its dataset marks personal masked (the extracts' row transform). */
export function maskRecord<R extends Record<string, unknown>>(row: R, def: { fields: ReadonlyArray<Pick<FieldDef, 'name' | 'personal'>> }): R {
  const out: Record<string, unknown> = { ...row };
  for (const f of def.fields) if (f.personal && f.name in out) out[f.name] = maskValue(f.personal, out[f.name]);
  return out as R;
}
