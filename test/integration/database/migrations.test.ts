import { describeStores } from '../../helpers/stores';

describeStores('migration CreateEngineRollups', (store) => {
  const tables = async () => {
    const names: string[] = [];
    const qr = store().ds.createQueryRunner();
    try {
      for (const t of ['rollup_satisfaction_daily', 'rollup_satisfaction_subtree_daily', 'rollup_visits_daily', 'rollup_visits_subtree_daily']) {
        if (await qr.hasTable(t)) names.push(t);
      }
    } finally {
      await qr.release();
    }
    return names;
  };

  it('drops the daily rollups it replaces and their state, records rollup parameters, and undoes cleanly', async () => {
    const { ds } = store();
    expect(await tables()).toEqual([]);
    // Undo the later migrations too, down to just before this one.
    const last = async () => (await ds.query('SELECT name FROM migrations ORDER BY id DESC')).map((r: { name: string }) => r.name)[0];
    for (let n = 0; n < 20 && (await last()) !== 'AddSubtreeRollupLevel1764000600000'; n++) await ds.undoLastMigration();
    expect(await last()).toBe('AddSubtreeRollupLevel1764000600000');
    // As the earlier code left a database: its daily tables, their rows and state.
    expect(await tables()).toHaveLength(4);
    await ds.query("INSERT INTO rollup_visits_subtree_daily (region_id, day, level, visits, stay_days) VALUES ('x', '2026-10-01', 'COUNTY', 3, 1)");
    await ds.query("INSERT INTO rollup_state (name, zone, built_at) VALUES ('visits_daily.v1', 'Asia/Shanghai', 1)");
    await expect(ds.query('SELECT params FROM rollup_state')).rejects.toThrow(/params/);
    await ds.runMigrations();
    expect(await tables()).toEqual([]);
    expect(await ds.query('SELECT name, params FROM rollup_state')).toEqual([]);
    await ds.query("INSERT INTO rollup_state (name, zone, params, built_at) VALUES ('visits.v2', 'Asia/Shanghai', '{}', 1)");
    // AddIssueContacted filled the issues' contacted from the responses stored before it.
    expect(await ds.query('SELECT contacted FROM issues')).toEqual([]);
  });
});
