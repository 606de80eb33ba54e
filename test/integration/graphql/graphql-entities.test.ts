import { describeStores } from '../../helpers/stores';
import { graphqlClient } from '../../helpers/graphql-client';
import { insertCounty, iso } from '../../factories/graphql-county';

const ids = (conn: { edges: Array<{ node: { id: string } }> }) => conn.edges.map((e) => e.node.id);

describeStores('GraphQL entity queries', (store) => {
  const gql = graphqlClient(store);
  beforeAll(() => insertCounty(store().ds));

  describe('regions', () => {
    it('reads a region with its level label, parent, children and ancestors (root first)', async () => {
      const data = await gql.data(`{
        region(id: "v1") {
          id name level levelLabel code parentId
          parent { id name }
          children { id name levelLabel }
          ancestors { id level }
        }
      }`);
      expect(data.region).toEqual({
        id: 'v1',
        name: '东村',
        level: 'VILLAGE',
        levelLabel: '村社区',
        code: null,
        parentId: 't1',
        parent: { id: 't1', name: '东镇' },
        children: [
          { id: 'g1', name: '一组', levelLabel: '村民小组' },
          { id: 'g2', name: '二组', levelLabel: '村民小组' },
        ],
        ancestors: [
          { id: 'cty', level: 'COUNTY' },
          { id: 't1', level: 'TOWNSHIP' },
        ],
      });
    });

    it('gives the root no parent and no ancestors', async () => {
      const data = await gql.data('{ region(id: "cty") { name code levelLabel parent { id } ancestors { id } } }');
      expect(data.region).toEqual({ name: '测试县', code: '330100000000', levelLabel: '县区', parent: null, ancestors: [] });
    });

    it('answers null for an unknown id', async () => {
      expect(await gql.data('{ region(id: "nowhere") { id } }')).toEqual({ region: null });
    });

    it('lists regions by id, filtered by level and by parent', async () => {
      const all = await gql.data('{ regions { totalCount edges { node { id } } } }');
      expect(ids(all.regions)).toEqual(['cty', 'g1', 'g2', 'g3', 'g4', 't1', 't2', 'v1', 'v2', 'v3']);
      expect(all.regions.totalCount).toBe(10);
      const villages = await gql.data('{ regions(level: VILLAGE) { totalCount edges { node { id name } } } }');
      expect(villages.regions).toEqual({
        totalCount: 3,
        edges: [{ node: { id: 'v1', name: '东村' } }, { node: { id: 'v2', name: '南村' } }, { node: { id: 'v3', name: '西村' } }],
      });
      const under = await gql.data('{ regions(parentId: "t1") { edges { node { id } } } }');
      expect(ids(under.regions)).toEqual(['v1', 'v2']);
      const both = await gql.data('{ regions(level: GROUP, parentId: "v1") { edges { node { id } } } }');
      expect(ids(both.regions)).toEqual(['g1', 'g2']);
    });
  });

  describe('departments', () => {
    it('reads one department and lists all by id', async () => {
      const data = await gql.data('{ department(id: "d2") { id name } departments { totalCount edges { node { id name } } } missing: department(id: "d9") { id } }');
      expect(data).toEqual({
        department: { id: 'd2', name: '人社局' },
        departments: {
          totalCount: 3,
          edges: [{ node: { id: 'd1', name: '民政局' } }, { node: { id: 'd2', name: '人社局' } }, { node: { id: 'd3', name: '住建局' } }],
        },
        missing: null,
      });
    });
  });

  describe('cadres', () => {
    it('reads a cadre with its rank label, region and pairings by start date', async () => {
      const data = await gql.data(`{
        cadre(id: "c1") { id name rank rankLabel unit phone regionId region { name } pairings { id startedOn endedOn household { headName } } }
      }`);
      expect(data.cadre).toEqual({
        id: 'c1',
        name: '李镇长',
        rank: 'LEADER',
        rankLabel: '乡镇科级领导',
        unit: '东镇政府',
        phone: '13800000001',
        regionId: 't1',
        region: { name: '东镇' },
        pairings: [
          { id: 'p1', startedOn: '2025-01-01', endedOn: null, household: { headName: '张三' } },
          { id: 'p3', startedOn: '2025-02-01', endedOn: null, household: { headName: '李四' } },
        ],
      });
    });

    it('lists cadres of a region subtree and of a rank', async () => {
      const all = await gql.data('{ cadres { totalCount edges { node { id rankLabel } } } }');
      expect(all.cadres.totalCount).toBe(4);
      expect(all.cadres.edges.map((e: { node: { id: string; rankLabel: string } }) => [e.node.id, e.node.rankLabel])).toEqual([
        ['c1', '乡镇科级领导'],
        ['c2', '一般干部'],
        ['c3', '一般干部'],
        ['c4', '一般干部'],
      ]);
      expect(ids((await gql.data('{ cadres(regionId: "t1") { edges { node { id } } } }')).cadres)).toEqual(['c1', 'c2']);
      expect(ids((await gql.data('{ cadres(regionId: "cty") { edges { node { id } } } }')).cadres)).toEqual(['c1', 'c2', 'c3', 'c4']);
      expect(ids((await gql.data('{ cadres(regionId: "t1", rank: STAFF) { edges { node { id } } } }')).cadres)).toEqual(['c2']);
      expect(ids((await gql.data('{ cadres(rank: LEADER) { edges { node { id } } } }')).cadres)).toEqual(['c1']);
      expect((await gql.data('{ cadres(regionId: "nowhere") { totalCount edges { node { id } } } }')).cadres).toEqual({ totalCount: 0, edges: [] });
    });
  });

  describe('households', () => {
    it('reads a household with tag labels, region and pairings', async () => {
      const data = await gql.data(`{
        household(id: "h1") { id headName phone members tags tagLabels region { id name } pairings { id cadre { name } } }
      }`);
      expect(data.household).toEqual({
        id: 'h1',
        headName: '张三',
        phone: '13812345678',
        members: 2,
        // Stored sorted, so labels follow the same order.
        tags: ['ELDERLY_ALONE', 'LOW_INCOME'],
        tagLabels: ['独居老人', '低保'],
        region: { id: 'g1', name: '一组' },
        pairings: [
          { id: 'p2', cadre: { name: '王干部' } },
          { id: 'p1', cadre: { name: '李镇长' } },
        ],
      });
    });

    it('lists households of a subtree and those carrying every given tag', async () => {
      expect(ids((await gql.data('{ households { edges { node { id } } } }')).households)).toEqual(['h1', 'h2', 'h3', 'h4']);
      expect(ids((await gql.data('{ households(regionId: "v1") { edges { node { id } } } }')).households)).toEqual(['h1', 'h2']);
      expect(ids((await gql.data('{ households(tags: [LOW_INCOME]) { edges { node { id } } } }')).households)).toEqual(['h1', 'h2']);
      expect(ids((await gql.data('{ households(tags: [ELDERLY_ALONE]) { edges { node { id } } } }')).households)).toEqual(['h1', 'h4']);
      expect(ids((await gql.data('{ households(tags: [ELDERLY_ALONE, LOW_INCOME]) { edges { node { id } } } }')).households)).toEqual(['h1']);
      expect(ids((await gql.data('{ households(tags: [DISABILITY]) { edges { node { id } } } }')).households)).toEqual(['h4']);
      expect(ids((await gql.data('{ households(tags: [LAND_LOST]) { edges { node { id } } } }')).households)).toEqual([]);
      expect(ids((await gql.data('{ households(regionId: "t2", tags: [ELDERLY_ALONE]) { edges { node { id } } } }')).households)).toEqual(['h4']);
      const empty = await gql.data('{ households(tags: [ELDERLY_ALONE]) { edges { node { tagLabels } } } h3: household(id: "h3") { tags tagLabels } }');
      expect(empty.h3).toEqual({ tags: [], tagLabels: [] });
    });
  });

  describe('pairings', () => {
    it('lists pairings by id, filtered by cadre, household and active date (end inclusive)', async () => {
      const all = await gql.data('{ pairings { totalCount edges { node { id cadreId householdId startedOn endedOn } } } }');
      expect(all.pairings.totalCount).toBe(5);
      expect(all.pairings.edges[3].node).toEqual({ id: 'p4', cadreId: 'c3', householdId: 'h4', startedOn: '2025-03-01', endedOn: '2025-06-30' });
      const q = async (args: string) => ids((await gql.data(`{ pairings(${args}) { edges { node { id } } } }`)).pairings);
      expect(await q('cadreId: "c1"')).toEqual(['p1', 'p3']);
      expect(await q('householdId: "h1"')).toEqual(['p1', 'p2']);
      expect(await q('activeOn: "2024-12-31"')).toEqual(['p2']);
      expect(await q('activeOn: "2025-01-15"')).toEqual(['p1', 'p5']);
      expect(await q('activeOn: "2025-06-30"')).toEqual(['p1', 'p3', 'p4', 'p5']);
      expect(await q('activeOn: "2025-07-01"')).toEqual(['p1', 'p3', 'p5']);
      expect(await q('cadreId: "c1", activeOn: "2025-01-31"')).toEqual(['p1']);
    });

    it('resolves the cadre and household of each pairing', async () => {
      const data = await gql.data('{ pairings(householdId: "h4") { edges { node { cadre { id name } household { id headName } } } } }');
      expect(data.pairings.edges).toEqual([{ node: { cadre: { id: 'c3', name: '赵干部' }, household: { id: 'h4', headName: '赵六' } } }]);
    });

    it('rejects a malformed date', async () => {
      expect(await gql.codes('{ pairings(activeOn: "2025-02-30") { totalCount } }')).toEqual(['BAD_USER_INPUT']);
      expect(await gql.codes('query($d: Date) { pairings(activeOn: $d) { totalCount } }', { d: '2025/01/01' })).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('visits', () => {
    it('lists visits newest first, ties by id (descending), with labels and relations', async () => {
      const data = await gql.data(`{
        visits { totalCount edges { node { id visitedAt kind kindLabel stayDays note cadre { name } region { name } household { headName } issues { id } } } }
      }`);
      expect(data.visits.totalCount).toBe(5);
      expect(data.visits.edges.map((e: { node: unknown }) => e.node)).toEqual([
        { id: 'vs5', visitedAt: iso('2025-03-20T08:00:00'), kind: 'FORUM', kindLabel: '座谈', stayDays: null, note: null, cadre: { name: '县干部' }, region: { name: '三组' }, household: { headName: '王五' }, issues: [{ id: 'is5' }] },
        { id: 'vs3', visitedAt: iso('2025-03-12T14:00:00'), kind: 'VILLAGE_STAY', kindLabel: '驻村', stayDays: 3, note: '驻村三天', cadre: { name: '李镇长' }, region: { name: '东村' }, household: null, issues: [] },
        { id: 'vs2', visitedAt: iso('2025-03-10T09:00:00'), kind: 'HOME_VISIT', kindLabel: '入户走访', stayDays: null, note: null, cadre: { name: '王干部' }, region: { name: '二组' }, household: { headName: '李四' }, issues: [] },
        { id: 'vs1', visitedAt: iso('2025-03-10T09:00:00'), kind: 'HOME_VISIT', kindLabel: '入户走访', stayDays: null, note: null, cadre: { name: '李镇长' }, region: { name: '一组' }, household: { headName: '张三' }, issues: [{ id: 'is1' }] },
        { id: 'vs4', visitedAt: iso('2025-02-01T10:00:00'), kind: 'HOLIDAY_GREETING', kindLabel: '节日慰问', stayDays: null, note: null, cadre: { name: '赵干部' }, region: { name: '四组' }, household: { headName: '赵六' }, issues: [] },
      ]);
    });

    it('filters visits by subtree, cadre, household, kinds and a [from, to) window', async () => {
      const q = async (filter: string) => ids((await gql.data(`{ visits(filter: ${filter}) { edges { node { id } } } }`)).visits);
      expect(await q('{ regionId: "t1" }')).toEqual(['vs5', 'vs3', 'vs2', 'vs1']);
      expect(await q('{ regionId: "v1" }')).toEqual(['vs3', 'vs2', 'vs1']);
      expect(await q('{ regionId: "g1" }')).toEqual(['vs1']);
      expect(await q('{ cadreId: "c1" }')).toEqual(['vs3', 'vs1']);
      expect(await q('{ householdId: "h2" }')).toEqual(['vs2']);
      expect(await q('{ kinds: [HOME_VISIT, FORUM] }')).toEqual(['vs5', 'vs2', 'vs1']);
      // from is inclusive, to exclusive: 09:00 on 10 March is in, 14:00 on 12 March is out.
      expect(await q('{ from: "2025-03-10T09:00:00+08:00", to: "2025-03-12T14:00:00+08:00" }')).toEqual(['vs2', 'vs1']);
      expect(await q('{ from: "2025-03-10T01:00:00Z" }')).toEqual(['vs5', 'vs3', 'vs2', 'vs1']);
      expect(await q('{ to: "2025-03-10T09:00:00+08:00" }')).toEqual(['vs4']);
      expect(await q('{ regionId: "t1", cadreId: "c1", kinds: [VILLAGE_STAY], from: "2025-03-01T00:00:00+08:00" }')).toEqual(['vs3']);
    });
  });

  describe('issues', () => {
    it('reads an issue with its derived state, labels, department, events and surveys', async () => {
      const data = await gql.data(`{
        issue(id: "is1") {
          id channel channelLabel category categoryLabel summary receivedAt dueAt
          status statusLabel firstResponseAt resolvedAt transferCount reopenCount residentAnswer residentAnswerLabel latestScore
          departmentId department { id name }
          region { name } household { headName } visit { id kind }
          events { id at type typeLabel note department { name } issue { id } }
          surveys { id score resolved resolvedLabel channelLabel }
        }
      }`);
      expect(data.issue).toEqual({
        id: 'is1',
        channel: 'VISIT',
        channelLabel: '走访发现',
        category: 'SOCIAL_SECURITY',
        categoryLabel: '社会保障',
        summary: '低保申请',
        receivedAt: iso('2025-03-10T10:00:00'),
        dueAt: iso('2025-03-17T10:00:00'),
        status: 'RESOLVED',
        statusLabel: '已办结',
        firstResponseAt: iso('2025-03-11T15:00:00'),
        resolvedAt: iso('2025-03-13T10:00:00'),
        transferCount: 1,
        reopenCount: 0,
        residentAnswer: 'YES',
        residentAnswerLabel: '已解决',
        latestScore: 5,
        departmentId: 'd2',
        department: { id: 'd2', name: '人社局' },
        region: { name: '一组' },
        household: { headName: '张三' },
        visit: { id: 'vs1', kind: 'HOME_VISIT' },
        events: [
          { id: 'e1', at: iso('2025-03-10T11:00:00'), type: 'ASSIGNED', typeLabel: '交办', note: null, department: { name: '民政局' }, issue: { id: 'is1' } },
          { id: 'e2', at: iso('2025-03-11T09:00:00'), type: 'TRANSFERRED', typeLabel: '转办', note: '转人社局', department: { name: '人社局' }, issue: { id: 'is1' } },
          { id: 'e3', at: iso('2025-03-11T15:00:00'), type: 'RESPONDED', typeLabel: '响应', note: null, department: null, issue: { id: 'is1' } },
          { id: 'e4', at: iso('2025-03-13T10:00:00'), type: 'RESOLVED', typeLabel: '办结', note: null, department: null, issue: { id: 'is1' } },
        ],
        surveys: [{ id: 's1', score: 5, resolved: 'YES', resolvedLabel: '已解决', channelLabel: '电话回访' }],
      });
    });

    it('shows a reopened issue as reopened, not resolved, with the resident saying no', async () => {
      const data = await gql.data('{ issue(id: "is2") { status statusLabel resolvedAt reopenCount firstResponseAt residentAnswer residentAnswerLabel department { name } visit { id } } }');
      expect(data.issue).toEqual({
        status: 'REOPENED',
        statusLabel: '重办中',
        resolvedAt: null,
        reopenCount: 1,
        firstResponseAt: iso('2025-03-13T09:00:00'),
        residentAnswer: 'NO',
        residentAnswerLabel: '未解决',
        department: { name: '民政局' },
        visit: null,
      });
    });

    it('shows an issue with no events as open with no department and no answer', async () => {
      const data = await gql.data('{ issue(id: "is3") { status statusLabel department { id } residentAnswer residentAnswerLabel events { id } surveys { id } } none: issue(id: "is9") { id } }');
      expect(data).toEqual({
        issue: { status: 'OPEN', statusLabel: '待办', department: null, residentAnswer: null, residentAnswerLabel: null, events: [], surveys: [] },
        none: null,
      });
    });

    it('lists issues newest first by receivedAt, ties by id (descending)', async () => {
      const data = await gql.data('{ issues { totalCount edges { node { id status } } } }');
      expect(data.issues.totalCount).toBe(5);
      expect(data.issues.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status])).toEqual([
        ['is5', 'OPEN'],
        ['is3', 'OPEN'],
        ['is2', 'REOPENED'],
        ['is1', 'RESOLVED'],
        ['is4', 'EXPLAINED'],
      ]);
    });

    it('filters issues by subtree, household, visit, current department, enums and window', async () => {
      const q = async (filter: string) => ids((await gql.data(`{ issues(filter: ${filter}) { edges { node { id } } } }`)).issues);
      expect(await q('{ regionId: "v1" }')).toEqual(['is2', 'is1', 'is4']);
      expect(await q('{ regionId: "t2" }')).toEqual(['is3']);
      expect(await q('{ householdId: "h1" }')).toEqual(['is1']);
      expect(await q('{ visitId: "vs5" }')).toEqual(['is5']);
      // d1 handled is1 first, but it was transferred to d2: only the current department counts.
      expect(await q('{ departmentId: "d1" }')).toEqual(['is2']);
      expect(await q('{ departmentId: "d2" }')).toEqual(['is1']);
      expect(await q('{ statuses: [OPEN] }')).toEqual(['is5', 'is3']);
      expect(await q('{ statuses: [RESOLVED, EXPLAINED] }')).toEqual(['is1', 'is4']);
      expect(await q('{ channels: [VISIT] }')).toEqual(['is5', 'is1']);
      expect(await q('{ categories: [HEALTHCARE, INFRASTRUCTURE] }')).toEqual(['is2', 'is4']);
      expect(await q('{ from: "2025-03-12T08:00:00+08:00", to: "2025-03-20T09:00:00+08:00" }')).toEqual(['is3', 'is2']);
      expect(await q('{ regionId: "t1", statuses: [OPEN, REOPENED], channels: [VISIT, HOTLINE] }')).toEqual(['is5', 'is2']);
    });
  });

  describe('survey responses', () => {
    it('lists responses newest first with labels and relations', async () => {
      const data = await gql.data(`{
        surveyResponses { totalCount edges { node { id respondedAt channel channelLabel score resolved resolvedLabel contacted comment region { name } issue { id } cadre { name } household { headName } } } }
      }`);
      expect(data.surveyResponses.totalCount).toBe(3);
      expect(data.surveyResponses.edges.map((e: { node: unknown }) => e.node)).toEqual([
        { id: 's1', respondedAt: iso('2025-03-15T10:00:00'), channel: 'PHONE_CALLBACK', channelLabel: '电话回访', score: 5, resolved: 'YES', resolvedLabel: '已解决', contacted: true, comment: null, region: { name: '一组' }, issue: { id: 'is1' }, cadre: { name: '李镇长' }, household: { headName: '张三' } },
        { id: 's2', respondedAt: iso('2025-03-13T20:00:00'), channel: 'SMS', channelLabel: '短信', score: 2, resolved: 'NO', resolvedLabel: '未解决', contacted: false, comment: '还没解决', region: { name: '二组' }, issue: { id: 'is2' }, cadre: { name: '王干部' }, household: { headName: '李四' } },
        { id: 's3', respondedAt: iso('2025-02-01T12:00:00'), channel: 'IN_PERSON', channelLabel: '当面', score: 4, resolved: null, resolvedLabel: null, contacted: null, comment: '很好', region: { name: '四组' }, issue: null, cadre: { name: '赵干部' }, household: { headName: '赵六' } },
      ]);
    });

    it('filters responses by subtree, issue, cadre, household, channels and window', async () => {
      const q = async (filter: string) => ids((await gql.data(`{ surveyResponses(filter: ${filter}) { edges { node { id } } } }`)).surveyResponses);
      expect(await q('{ regionId: "t1" }')).toEqual(['s1', 's2']);
      expect(await q('{ issueId: "is2" }')).toEqual(['s2']);
      expect(await q('{ cadreId: "c3" }')).toEqual(['s3']);
      expect(await q('{ householdId: "h1" }')).toEqual(['s1']);
      expect(await q('{ channels: [SMS, IN_PERSON] }')).toEqual(['s2', 's3']);
      expect(await q('{ from: "2025-03-13T20:00:00+08:00", to: "2025-03-15T10:00:00+08:00" }')).toEqual(['s2']);
    });
  });

  describe('enum labels', () => {
    it('lists every enum with Chinese and English labels', async () => {
      const data = await gql.data('{ enumLabels { enum values { value label labelEn } } }');
      expect(data.enumLabels.map((e: { enum: string }) => e.enum)).toEqual([
        'RegionLevel',
        'CadreRank',
        'HouseholdTag',
        'VisitKind',
        'IssueChannel',
        'IssueCategory',
        'IssueEventType',
        'IssueStatus',
        'SurveyChannel',
        'ResidentAnswer',
        'AuditKind',
        'AuditChannel',
        'AlertType',
        'AlertSubjectKind',
      ]);
      const status = data.enumLabels.find((e: { enum: string }) => e.enum === 'IssueStatus');
      expect(status.values[0]).toEqual({ value: 'OPEN', label: '待办', labelEn: 'Open' });
      expect(status.values).toHaveLength(6);
    });
  });

  describe('over HTTP', () => {
    it('answers POST /graphql with JSON', async () => {
      const res = await gql.http().post('/graphql').send({ query: 'query($id: ID!) { issue(id: $id) { id statusLabel } }', variables: { id: 'is4' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { issue: { id: 'is4', statusLabel: '已解释' } } });
    });

    it('answers GET /graphql for a query', async () => {
      const res = await gql
        .http()
        .get('/graphql')
        .query({ query: '{ region(id: "t2") { name children { name } } }' })
        .set('apollo-require-preflight', 'true');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { region: { name: '西镇', children: [{ name: '西村' }] } } });
      // Residents' data for one principal: never kept by a browser or a proxy.
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });
});
