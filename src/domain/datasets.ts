import {
  CadreRanks,
  HouseholdTags,
  IssueCategories,
  IssueChannels,
  IssueEventTypes,
  RegionLevels,
  ResidentAnswers,
  SurveyChannels,
  VisitKinds,
} from './enums';

/**
 * The import datasets of domain.md, field by field: JSON name, column, kind and rules.
 * Import validates against this, extracts write from it, test fixtures insert with it:
 * one definition, so the three cannot disagree.
 */
export const DATASET_NAMES = [
  'regions',
  'departments',
  'cadres',
  'households',
  'pairings',
  'visits',
  'issues',
  'issue_events',
  'survey_responses',
] as const;
export type Dataset = (typeof DATASET_NAMES)[number];

export type FieldKind =
  | 'id' // the record's own id
  | 'ref' // id of a record in `ref`
  | 'string' // short text, `maxLength`
  | 'text' // long text, limited by MAX_FIELD_CHARS
  | 'enum'
  | 'enumList' // array of enum values, stored comma-joined and sorted
  | 'instant' // ISO-8601 with offset, stored as epoch ms
  | 'date' // YYYY-MM-DD, stored as text
  | 'int'
  | 'bool'; // stored as 0/1

export interface FieldDef {
  name: string;
  column: string;
  kind: FieldKind;
  required: boolean;
  values?: readonly string[];
  ref?: Dataset;
  maxLength?: number;
  min?: number;
  max?: number;
  /** Personal data: masked or withheld for roles that may not see it. */
  personal?: 'name' | 'phone' | 'withhold';
}

export interface DatasetDef {
  name: Dataset;
  table: string;
  fields: FieldDef[];
}

const f = (name: string, column: string, kind: FieldKind, required: boolean, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  column,
  kind,
  required,
  ...extra,
});
const idField = f('id', 'id', 'id', true, { maxLength: 64 });
const ref = (name: string, column: string, target: Dataset, required: boolean) =>
  f(name, column, 'ref', required, { ref: target, maxLength: 64 });

export const DATASETS: Record<Dataset, DatasetDef> = {
  regions: {
    name: 'regions',
    table: 'regions',
    fields: [
      idField,
      ref('parentId', 'parent_id', 'regions', false),
      f('level', 'level', 'enum', true, { values: RegionLevels.values }),
      f('name', 'name', 'string', true, { maxLength: 100 }),
      f('code', 'code', 'string', false, { maxLength: 12 }),
    ],
  },
  departments: {
    name: 'departments',
    table: 'departments',
    fields: [idField, f('name', 'name', 'string', true, { maxLength: 100 })],
  },
  cadres: {
    name: 'cadres',
    table: 'cadres',
    fields: [
      idField,
      f('name', 'name', 'string', true, { maxLength: 50 }),
      ref('regionId', 'region_id', 'regions', true),
      f('rank', 'rank', 'enum', true, { values: CadreRanks.values }),
      f('unit', 'unit', 'string', false, { maxLength: 100 }),
      f('phone', 'phone', 'string', false, { maxLength: 32, personal: 'phone' }),
    ],
  },
  households: {
    name: 'households',
    table: 'households',
    fields: [
      idField,
      ref('regionId', 'region_id', 'regions', true),
      f('headName', 'head_name', 'string', true, { maxLength: 50, personal: 'name' }),
      f('phone', 'phone', 'string', false, { maxLength: 32, personal: 'phone' }),
      f('members', 'members', 'int', false, { min: 0, max: 1000 }),
      f('tags', 'tags', 'enumList', false, { values: HouseholdTags.values }),
    ],
  },
  pairings: {
    name: 'pairings',
    table: 'pairings',
    fields: [
      idField,
      ref('cadreId', 'cadre_id', 'cadres', true),
      ref('householdId', 'household_id', 'households', true),
      f('startedOn', 'started_on', 'date', true),
      f('endedOn', 'ended_on', 'date', false),
    ],
  },
  visits: {
    name: 'visits',
    table: 'visits',
    fields: [
      idField,
      ref('cadreId', 'cadre_id', 'cadres', true),
      ref('regionId', 'region_id', 'regions', true),
      ref('householdId', 'household_id', 'households', false),
      f('visitedAt', 'visited_at', 'instant', true),
      f('kind', 'kind', 'enum', true, { values: VisitKinds.values }),
      f('stayDays', 'stay_days', 'int', false, { min: 1, max: 366 }),
      // Free text written at a household: it names residents and their troubles.
      f('note', 'note', 'text', false, { personal: 'withhold' }),
    ],
  },
  issues: {
    name: 'issues',
    table: 'issues',
    fields: [
      idField,
      ref('regionId', 'region_id', 'regions', true),
      ref('householdId', 'household_id', 'households', false),
      ref('visitId', 'visit_id', 'visits', false),
      f('channel', 'channel', 'enum', true, { values: IssueChannels.values }),
      f('category', 'category', 'enum', true, { values: IssueCategories.values }),
      f('summary', 'summary', 'text', false, { personal: 'withhold' }),
      f('receivedAt', 'received_at', 'instant', true),
      f('dueAt', 'due_at', 'instant', false),
    ],
  },
  issue_events: {
    name: 'issue_events',
    table: 'issue_events',
    fields: [
      idField,
      ref('issueId', 'issue_id', 'issues', true),
      f('at', 'at', 'instant', true),
      f('type', 'type', 'enum', true, { values: IssueEventTypes.values }),
      ref('departmentId', 'department_id', 'departments', false),
      f('note', 'note', 'text', false, { personal: 'withhold' }),
    ],
  },
  survey_responses: {
    name: 'survey_responses',
    table: 'survey_responses',
    fields: [
      idField,
      ref('regionId', 'region_id', 'regions', true),
      ref('issueId', 'issue_id', 'issues', false),
      ref('cadreId', 'cadre_id', 'cadres', false),
      ref('householdId', 'household_id', 'households', false),
      f('respondedAt', 'responded_at', 'instant', true),
      f('channel', 'channel', 'enum', true, { values: SurveyChannels.values }),
      f('score', 'score', 'int', true, { min: 1, max: 5 }),
      f('resolved', 'resolved', 'enum', false, { values: ResidentAnswers.values }),
      f('contacted', 'contacted', 'bool', false),
      f('comment', 'comment', 'text', false, { personal: 'withhold' }),
    ],
  },
};

export function isDataset(name: string): name is Dataset {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

const FIELD_INDEXES = new Map(DATASET_NAMES.map((n) => [n, new Map(DATASETS[n].fields.map((f, i) => [f.name, i])) as ReadonlyMap<string, number>]));

/** Index of each field in a dataset's cell array (import's cells and stored rows are in DATASETS field order). */
export function fieldIndex(dataset: Dataset): ReadonlyMap<string, number> {
  return FIELD_INDEXES.get(dataset)!;
}
