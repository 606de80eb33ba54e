import { dialectOf } from '../../../src/database/dialect';
import { takeWriteStamp } from '../../../src/database/write-clock';
import { describeStores } from '../../helpers/stores';

describeStores(takeWriteStamp.name, (store) => {
  it('rises by at least one per transaction even when the wall clock stands still or goes back', async () => {
    const ds = store().ds;
    const a = await ds.transaction((m) => takeWriteStamp(m, 1_000));
    const b = await ds.transaction((m) => takeWriteStamp(m, 1_000));
    const c = await ds.transaction((m) => takeWriteStamp(m, 500));
    const d = await ds.transaction((m) => takeWriteStamp(m, 5_000));
    expect([a, b, c, d]).toEqual([1_000, 1_001, 1_002, 5_000]);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(takeWriteStamp(store().ds.manager)).rejects.toThrow('inside a transaction');
  });
});

describeStores('dialect', (store) => {
  it('greatest and least pick the larger and smaller value', async () => {
    const d = dialectOf(store().ds);
    const [row] = await store().ds.query(`SELECT ${d.greatest('3', '7')} AS g, ${d.least('3', '7')} AS l`);
    expect([Number(row.g), Number(row.l)]).toEqual([7, 3]);
  });
});
