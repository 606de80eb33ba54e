import { buildRegion, insertFixtures } from '../../factories';
import { describeStores } from '../../helpers/stores';

describeStores('migration AddSubtreeRollupLevel', (store) => {
  it('gives the subtree rollup rows already there their region’s level, and undoes cleanly', async () => {
    const { ds } = store();
    await ds.undoLastMigration();
    expect((await ds.query('SELECT name FROM migrations ORDER BY id DESC')).map((r: { name: string }) => r.name)[0]).toBe('CreateVisitsRollup1764000500000');
    await expect(ds.query('SELECT level FROM rollup_visits_subtree_daily')).rejects.toThrow(/level/);
    await insertFixtures(ds, {
      regions: [
        buildRegion({ id: 'cty', level: 'COUNTY', name: '县' }),
        buildRegion({ id: 't1', parentId: 'cty', level: 'TOWNSHIP', name: '镇' }),
        buildRegion({ id: 'v1', parentId: 't1', level: 'VILLAGE', name: '村' }),
      ],
    });
    // Rows as a built rollup left them before the migration (no level column yet).
    for (const id of ['cty', 't1', 'v1']) {
      await ds.query('INSERT INTO rollup_satisfaction_subtree_daily (region_id, day, responses, score_sum, satisfied, dissatisfied) VALUES (?, ?, 2, 9, 1, 0)', [id, '2026-10-01']);
      await ds.query('INSERT INTO rollup_visits_subtree_daily (region_id, day, visits, stay_days) VALUES (?, ?, 3, 1)', [id, '2026-10-01']);
    }
    await ds.runMigrations();
    for (const table of ['rollup_satisfaction_subtree_daily', 'rollup_visits_subtree_daily']) {
      const rows = await ds.query(`SELECT region_id, level FROM ${table} ORDER BY region_id`);
      expect(rows.map((r: { region_id: string; level: string }) => [r.region_id, r.level])).toEqual([
        ['cty', 'COUNTY'],
        ['t1', 'TOWNSHIP'],
        ['v1', 'VILLAGE'],
      ]);
    }
  });
});
