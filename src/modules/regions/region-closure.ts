import { EntityManager } from 'typeorm';
import { RegionLevel } from '../../domain/enums';

interface RegionRow {
  id: string;
  parent_id: string | null;
  level: RegionLevel;
}

/**
 * Brings the closure table up to date with `regions` inside the caller's transaction.
 * With `added` (ids of regions just inserted, none moved) only their chains are written:
 * an import of 77k regions in batches would otherwise rewrite the whole table per batch.
 * Without it (a region moved), the table is rebuilt. Throws on a cycle (import validates
 * earlier; this is the last line of defence). Returns the number of rows written.
 */
export async function rebuildRegionClosure(manager: EntityManager, added?: readonly string[]): Promise<number> {
  const rows: RegionRow[] = await manager.query('SELECT id, parent_id, level FROM regions');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pairs: Array<[string, string, RegionLevel, number]> = [];
  const targets = added ? added.map((id) => byId.get(id)).filter((r): r is RegionRow => r !== undefined) : rows;
  for (const r of targets) {
    const seen = new Set<string>();
    let cur: RegionRow | undefined = r;
    let distance = 0;
    while (cur) {
      if (seen.has(cur.id)) throw new Error(`region cycle through ${cur.id}`);
      seen.add(cur.id);
      pairs.push([cur.id, r.id, cur.level, distance++]);
      cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
    }
  }
  if (!added) await manager.query('DELETE FROM region_closure');
  const chunk = 500;
  for (let i = 0; i < pairs.length; i += chunk) {
    const part = pairs.slice(i, i + chunk);
    await manager.query(
      `INSERT INTO region_closure (ancestor_id, descendant_id, ancestor_level, distance) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
      part.flat(),
    );
  }
  return pairs.length;
}
