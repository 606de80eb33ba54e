/**
 * The domain's enumerations (domain.md) with their Chinese and English labels.
 * English identifiers are the API values; labels are what people read.
 */

function labelled<K extends string>(labels: Record<K, [zh: string, en: string]>) {
  const values = Object.keys(labels) as K[];
  const obj = Object.fromEntries(values.map((v) => [v, v])) as { [P in K]: P };
  return { values, enum: obj, labels };
}

export const RegionLevels = labelled({
  COUNTY: ['县区', 'County'],
  TOWNSHIP: ['乡镇街道', 'Township'],
  VILLAGE: ['村社区', 'Village'],
  GROUP: ['村民小组', 'Villager group'],
});
export type RegionLevel = (typeof RegionLevels.values)[number];
/** Depth of each level below the root, used to check that a child sits below its parent. */
export const REGION_LEVEL_DEPTH: Record<RegionLevel, number> = { COUNTY: 0, TOWNSHIP: 1, VILLAGE: 2, GROUP: 3 };

export const CadreRanks = labelled({
  LEADER: ['乡镇科级领导', 'Township section-level leader'],
  STAFF: ['一般干部', 'Staff cadre'],
});
export type CadreRank = (typeof CadreRanks.values)[number];

export const HouseholdTags = labelled({
  LOW_INCOME: ['低保', 'Low income'],
  EXTREME_HARDSHIP: ['特困', 'Extreme hardship'],
  DISABILITY: ['残疾', 'Disability'],
  ELDERLY_ALONE: ['独居老人', 'Elderly living alone'],
  LEFT_BEHIND: ['留守', 'Left behind'],
  LAND_LOST: ['失地', 'Land lost'],
});
export type HouseholdTag = (typeof HouseholdTags.values)[number];

export const VisitKinds = labelled({
  HOME_VISIT: ['入户走访', 'Home visit'],
  VILLAGE_STAY: ['驻村', 'Village stay'],
  FORUM: ['座谈', 'Forum'],
  RECEPTION: ['接访', 'Reception'],
  HOLIDAY_GREETING: ['节日慰问', 'Holiday greeting'],
});
export type VisitKind = (typeof VisitKinds.values)[number];

export const IssueChannels = labelled({
  VISIT: ['走访发现', 'Found on a visit'],
  HOTLINE: ['12345热线', '12345 hotline'],
  PETITION: ['信访', 'Petition'],
  SUGGESTION_BOX: ['意见箱', 'Suggestion box'],
  ONLINE: ['网上诉求', 'Online'],
  WALK_IN: ['来访', 'Walk-in'],
});
export type IssueChannel = (typeof IssueChannels.values)[number];

export const IssueCategories = labelled({
  EMPLOYMENT: ['就业', 'Employment'],
  SOCIAL_SECURITY: ['社会保障', 'Social security'],
  HEALTHCARE: ['医疗卫生', 'Healthcare'],
  EDUCATION: ['教育', 'Education'],
  DISPUTE: ['矛盾纠纷', 'Dispute'],
  INCOME: ['增收', 'Income'],
  LAND_RELOCATION: ['征地拆迁', 'Land and relocation'],
  INFRASTRUCTURE: ['基础设施', 'Infrastructure'],
  ENVIRONMENT: ['生态环境', 'Environment'],
  PUBLIC_SAFETY: ['公共安全', 'Public safety'],
  OTHER: ['其他', 'Other'],
});
export type IssueCategory = (typeof IssueCategories.values)[number];

export const IssueEventTypes = labelled({
  ASSIGNED: ['交办', 'Assigned'],
  TRANSFERRED: ['转办', 'Transferred'],
  RESPONDED: ['响应', 'Responded'],
  RESOLVED: ['办结', 'Resolved'],
  EXPLAINED: ['解释说明', 'Explained'],
  REOPENED: ['重办', 'Reopened'],
  CLOSED: ['关闭', 'Closed'],
});
export type IssueEventType = (typeof IssueEventTypes.values)[number];

export const IssueStatuses = labelled({
  OPEN: ['待办', 'Open'],
  IN_PROGRESS: ['办理中', 'In progress'],
  RESOLVED: ['已办结', 'Resolved'],
  EXPLAINED: ['已解释', 'Explained'],
  REOPENED: ['重办中', 'Reopened'],
  CLOSED: ['已关闭', 'Closed'],
});
export type IssueStatus = (typeof IssueStatuses.values)[number];

export const SurveyChannels = labelled({
  PHONE_CALLBACK: ['电话回访', 'Phone callback'],
  SMS: ['短信', 'SMS'],
  IN_PERSON: ['当面', 'In person'],
  ONLINE: ['网上', 'Online'],
});
export type SurveyChannel = (typeof SurveyChannels.values)[number];

export const ResidentAnswers = labelled({
  YES: ['已解决', 'Resolved'],
  PARTLY: ['部分解决', 'Partly resolved'],
  NO: ['未解决', 'Not resolved'],
});
export type ResidentAnswer = (typeof ResidentAnswers.values)[number];

/** What an audit-trail entry records (个人信息保护法): unmasked personal data in an answer, an extract, an export. */
export const AuditKinds = labelled({
  PERSONAL_DATA_READ: ['个人信息查询', 'Personal data read'],
  EXTRACT: ['数据抽取', 'Extract'],
  EXPORT: ['文件导出', 'Export'],
});
export type AuditKind = (typeof AuditKinds.values)[number];

/** How the access reached the service. */
export const AuditChannels = labelled({
  HTTP: ['网络接口', 'HTTP'],
  CLI: ['命令行', 'Command line'],
  JOB: ['定时任务', 'Scheduled job'],
});
export type AuditChannel = (typeof AuditChannels.values)[number];

/** Worklist alerts (预警, action.md "Worklists"), in the order lists and counts give them. */
export const AlertTypes = labelled({
  OVERDUE: ['超期', 'Overdue'],
  DUE_SOON: ['临期', 'Due soon'],
  DENIED_NOT_REDONE: ['群众不认可未重办', 'Denied by the resident, not redone'],
  SILENT_PAIRING: ['结对不联系', 'Silent pairing'],
  BEHIND_PACE: ['驻村进度落后', 'Behind village-stay pace'],
  VETO_RISK: ['满意度否决风险', 'Satisfaction veto risk'],
  REPEAT_APPEALS: ['重复诉求', 'Repeat appeals'],
});
export type AlertType = (typeof AlertTypes.values)[number];

/** What an alert is about: the record its subjectId names. */
export const AlertSubjectKinds = labelled({
  ISSUE: ['诉求', 'Issue'],
  PAIRING: ['结对', 'Pairing'],
  CADRE: ['干部', 'Cadre'],
  HOUSEHOLD: ['农户', 'Household'],
});
export type AlertSubjectKind = (typeof AlertSubjectKinds.values)[number];

/** Every enum by its GraphQL name, for the `enumLabels` query and the dashboard. */
export const ALL_ENUMS = {
  RegionLevel: RegionLevels,
  CadreRank: CadreRanks,
  HouseholdTag: HouseholdTags,
  VisitKind: VisitKinds,
  IssueChannel: IssueChannels,
  IssueCategory: IssueCategories,
  IssueEventType: IssueEventTypes,
  IssueStatus: IssueStatuses,
  SurveyChannel: SurveyChannels,
  ResidentAnswer: ResidentAnswers,
  AuditKind: AuditKinds,
  AuditChannel: AuditChannels,
  AlertType: AlertTypes,
  AlertSubjectKind: AlertSubjectKinds,
} as const;
