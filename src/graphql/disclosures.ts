/**
 * The records one GraphQL response disclosed with unmasked personal fields (the access guard
 * notes them as it resolves those fields): what the audit trail records, once per response,
 * counting each record once however many of its personal fields or paths reached it.
 */
export class PersonalDisclosures {
  private readonly byType = new Map<string, Set<unknown>>();
  private readonly fields = new Set<string>();

  /** A personal field of `parent` (a `type` record) went out unmasked and not empty. */
  note(type: string, field: string, parent: unknown): void {
    let seen = this.byType.get(type);
    if (!seen) this.byType.set(type, (seen = new Set()));
    // By id where the record has one (the same household reached by two paths is one record).
    const id = (parent as { id?: unknown } | null)?.id;
    seen.add(typeof id === 'string' || typeof id === 'number' ? String(id) : parent);
    this.fields.add(`${type}.${field}`);
  }

  /** Distinct records disclosed. */
  get count(): number {
    let n = 0;
    for (const s of this.byType.values()) n += s.size;
    return n;
  }

  /** For the audit entry's details: records per type and the fields disclosed. */
  summary(): { records: Record<string, number>; fields: string[] } {
    return {
      records: Object.fromEntries([...this.byType].map(([t, s]) => [t, s.size])),
      fields: [...this.fields].sort(),
    };
  }
}
