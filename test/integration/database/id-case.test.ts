import { ImportService } from '../../../src/import/import.service';
import { describeStores } from '../../helpers/stores';

describeStores('record ids', (store) => {
  it('are case-sensitive on both stores: D1 and d1 are two departments', async () => {
    const sut = new ImportService(store().ds, store().config);
    const result = await sut.importRecords('departments', [
      { id: 'D1', name: '民政局' },
      { id: 'd1', name: '人社局' },
    ]);
    expect(result).toMatchObject({ inserted: 2 });
    const rows = await store().ds.query('SELECT id, name FROM departments ORDER BY name');
    expect(rows).toEqual([
      { id: 'd1', name: '人社局' },
      { id: 'D1', name: '民政局' },
    ]);
  });
});
