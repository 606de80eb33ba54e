import type { IssueCategory } from '../src/domain/enums';

/**
 * Words the demo county is made of: place names, people's names, departments, appeal
 * summaries and survey comments. Plain data; demo-county.ts decides how they are used.
 */

export const COUNTY = { name: '青山县', code: '369901000000' } as const;

/** The twelve townships of scale 1, by slot; slot 0 is the county seat. */
export const TOWNSHIP_NAMES = [
  '青山街道',
  '东坪镇',
  '石桥镇',
  '龙潭镇',
  '白沙镇',
  '桃源镇',
  '柳溪镇',
  '梅岭镇',
  '松林乡',
  '高峰乡',
  '黄泥乡',
  '云雾乡',
] as const;

/** Two-character place names for townships beyond the first twelve (first × second, no repeats). */
export const PLACE_FIRST = '安宝长大丰凤福古观和红花金锦九坑兰岭马南平七三上水太塘天田下新杨永'.split('');
export const PLACE_SECOND = '岗坝背冲店渡垛湖坑口岭陇坪铺桥泉山市滩塘田湾圩溪峡垸园寨洲庄'.split('');

/** Village and community names within a township: first × second, drawn without repeats. */
export const VILLAGE_FIRST = '柏板宝碧茶朝陈椿大丹东枫凤高谷官荷红花黄尖江蕉金井康老李莲林龙芦罗茅梅'.split('');
export const VILLAGE_SECOND = '坝坳背冲垱岗湖家坑口岭垄坪铺桥泉山社滩塘田湾溪峡园源寨洲庄'.split('');

export const GROUP_NUMERALS = '一二三四五六七八九十'.split('');

/** Surnames with rough frequencies (per mille) so the common ones dominate as they do in China. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 72], ['李', 72], ['张', 69], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 21],
  ['吴', 20], ['周', 19], ['徐', 16], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 13], ['郭', 12],
  ['何', 12], ['高', 11], ['林', 11], ['罗', 10], ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 7],
  ['唐', 7], ['许', 7], ['韩', 7], ['冯', 7], ['邓', 7], ['曹', 6], ['彭', 6], ['曾', 6],
  ['肖', 6], ['田', 5], ['董', 5], ['袁', 5], ['潘', 5], ['蒋', 5], ['蔡', 5], ['余', 5],
  ['杜', 4], ['叶', 4], ['程', 4], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4], ['任', 4],
  ['沈', 4], ['姚', 3], ['卢', 3], ['钟', 3], ['谭', 3], ['廖', 3], ['邹', 3], ['熊', 3],
  ['欧阳', 1], ['司马', 1],
];

/** Characters of given names; a name takes one or two of them. */
export const GIVEN_CHARS =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅金凤海燕春林德福永生文斌宇浩辉鹏飞晓东云翠莲荣顺发'.split(
    '',
  );

export const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '166', '176', '177', '180', '181', '182', '183', '186', '187', '189', '191', '198', '199'];

/** County departments that handle appeals (归口办理), in id order. */
export const DEPARTMENTS = [
  '民政局',
  '人社局',
  '住建局',
  '自然资源局',
  '卫健局',
  '教育局',
  '农业农村局',
  '信访局',
  '生态环境局',
  '交通运输局',
  '水利局',
  '公安局',
  '司法局',
  '医保局',
  '应急管理局',
  '市场监管局',
  '城管局',
  '财政局',
  '退役军人事务局',
  '乡村振兴局',
] as const;
export type DepartmentName = (typeof DEPARTMENTS)[number];

/** Which departments a category's appeals go to, first the usual one; transfers move along this list. */
export const DEPARTMENTS_BY_CATEGORY: Record<IssueCategory, readonly DepartmentName[]> = {
  EMPLOYMENT: ['人社局', '乡村振兴局', '农业农村局'],
  SOCIAL_SECURITY: ['民政局', '人社局', '医保局', '退役军人事务局'],
  HEALTHCARE: ['卫健局', '医保局', '民政局'],
  EDUCATION: ['教育局', '民政局', '财政局'],
  DISPUTE: ['司法局', '信访局', '公安局'],
  INCOME: ['农业农村局', '乡村振兴局', '人社局', '市场监管局'],
  LAND_RELOCATION: ['自然资源局', '住建局', '信访局', '财政局'],
  INFRASTRUCTURE: ['交通运输局', '住建局', '水利局', '城管局'],
  ENVIRONMENT: ['生态环境局', '城管局', '农业农村局'],
  PUBLIC_SAFETY: ['公安局', '应急管理局', '市场监管局'],
  OTHER: ['信访局', '民政局', '城管局'],
};

/** What residents ask about, by category (summaries of appeals). */
export const ISSUE_SUMMARIES: Record<IssueCategory, readonly string[]> = {
  EMPLOYMENT: ['家中两名劳动力返乡，希望介绍就近务工岗位', '公益性岗位工资三个月未发放', '咨询职业技能培训报名', '在外务工被拖欠工资，请求协助追讨'],
  SOCIAL_SECURITY: ['申请低保已三个月未获答复', '养老金发放金额有疑问', '残疾人两项补贴未到账', '特困供养人员冬季取暖物资未落实', '临时救助申请进度查询'],
  HEALTHCARE: ['慢性病门诊报销比例咨询', '村卫生室长期缺药', '家庭医生签约后未上门随访', '大病救助申请材料不清楚'],
  EDUCATION: ['孩子入学划片有异议', '留守儿童课后无人看护', '校车线路取消后上学不便', '教育资助未发放'],
  DISPUTE: ['与邻居宅基地边界纠纷', '家庭赡养纠纷，请求调解', '承包地流转租金未按约支付', '山林权属争议'],
  INCOME: ['种植的柑橘滞销，请求帮助联系销路', '养殖补贴申报未通过', '小额信贷贴息咨询', '产业帮扶项目分红未兑现'],
  LAND_RELOCATION: ['征地补偿款分配有异议', '拆迁安置房交付延期', '房屋被认定为违建有异议', '失地农民社保办理咨询'],
  INFRASTRUCTURE: ['村组道路破损严重，雨天无法通行', '饮用水管道老化经常停水', '路灯损坏半年未修', '危桥存在安全隐患', '电压不稳，家电无法使用'],
  ENVIRONMENT: ['养殖场臭气扰民', '河道垃圾堆积', '附近厂房夜间噪音', '生活垃圾清运不及时'],
  PUBLIC_SAFETY: ['村口路段车速过快，请求设置减速带', '独居老人房屋漏雨存在安全隐患', '电信诈骗防范咨询', '山塘堤坝渗水'],
  OTHER: ['户籍证明开具咨询', '对村务公开内容有疑问', '反映村干部工作作风问题', '咨询政策办理流程'],
};

export const VISIT_NOTES = [
  '了解家庭收入和务工情况',
  '宣讲惠民政策，核对补贴发放',
  '查看房屋安全，叮嘱用电用火安全',
  '老人身体状况良好，子女在外务工',
  '协助办理医保参保缴费',
  '了解孩子上学情况',
  '收集群众对村组道路的意见',
  '帮助联系农产品销路',
] as const;

export const STAY_NOTES = ['驻村开展民情恳谈', '驻村排查矛盾纠纷', '驻村走访困难群众', '驻村督导项目建设'] as const;
export const FORUM_NOTES = ['召开村民代表座谈会', '屋场会听取群众意见', '与种养大户座谈产业发展'] as const;
export const RECEPTION_NOTES = ['领导接访日', '便民服务中心接待来访群众'] as const;
export const GREETING_NOTES = ['春节走访慰问，送去米油', '中秋慰问困难群众', '节前慰问独居老人'] as const;

export const PRAISE = ['干部很负责，问题很快解决了', '态度好，经常来家里看看', '办事效率高，非常满意'] as const;
export const COMPLAINTS = ['说是办结了，其实问题还在', '打了几次电话都被推给别的部门', '一年到头只有过节才见到干部', '没人联系过我，回访才第一次听说', '答复敷衍，没有实际解决'] as const;
