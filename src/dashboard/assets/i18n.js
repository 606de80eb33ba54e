'use strict';
// Every string the pages show, in Chinese (default) and English; enum names come from labels.js.
(function () {
  const STRINGS = {
    appTitle: ['民情满意度', 'Minqing satisfaction'],
    username: ['用户名', 'User name'],
    password: ['密码', 'Password'],
    signIn: ['登录', 'Sign in'],
    signOut: ['退出', 'Sign out'],
    switchLang: ['English', '中文'],
    badCredentials: ['用户名或密码错误', 'Wrong user name or password'],
    loginFailed: ['登录失败，请重试', 'Sign-in failed; try again'],
    dashboard: ['满意度看板', 'Satisfaction dashboard'],
    graphiql: ['GraphQL 调试', 'GraphQL playground'],
    region: ['区域', 'Region'],
    from: ['开始日期', 'From'],
    to: ['结束日期', 'To'],
    category: ['诉求类别', 'Category'],
    channel: ['诉求渠道', 'Channel'],
    all: ['全部', 'All'],
    apply: ['查询', 'Apply'],
    loading: ['加载中…', 'Loading…'],
    failed: ['加载失败', 'Failed to load'],
    previous: ['上期', 'Previous'],
    change: ['变化', 'Change'],
    overview: ['核心指标', 'Key figures'],
    trend: ['满意度趋势', 'Satisfaction trend'],
    ranking: ['区域排名', 'Region ranking'],
    categories: ['诉求类别分析', 'Issues by category'],
    backlog: ['积压诉求账龄', 'Backlog ageing'],
    festival: ['逢年过节式走访', 'Festival-only visiting'],
    falseClosure: ['报喜不报忧（群众否认办结）', 'False closures (residents deny)'],
    scorecards: ['干部量化考核', 'Cadre scorecards'],
    downloadCsv: ['下载 CSV', 'Download CSV'],
    suppressed: ['样本不足', 'suppressed'],
    noData: ['无数据', 'no data'],
    rank: ['名次', 'Rank'],
    tieBand: ['并列组', 'Tie band'],
    count: ['样本数', 'Count'],
    value: ['数值', 'Value'],
    low: ['95%下限', '95% low'],
    high: ['95%上限', '95% high'],
    period: ['时段', 'Period'],
    received: ['受理数', 'Received'],
    closureRate: ['办结率', 'Closure rate'],
    resolutionRate: ['解决率', 'Resolution rate'],
    satisfiedRate: ['满意率', 'Satisfied rate'],
    falseClosureRate: ['报喜不报忧率', 'False closure rate'],
    issueSatisfiedRate: ['诉求满意率', 'Issue satisfied rate'],
    gap: ['办结率−解决率', 'Closure − resolution'],
    ageBucket: ['账龄', 'Age'],
    openIssues: ['未办结诉求', 'Open issues'],
    topDepartments: ['主要部门', 'Top departments'],
    visits: ['走访次数', 'Visits'],
    holidayVisits: ['节日走访', 'Holiday visits'],
    holidayShare: ['节日占比', 'Holiday share'],
    flagged: ['预警', 'Flag'],
    festivalFlag: ['≥80% 集中在节日', '≥80% at festivals'],
    answered: ['单位办结且群众已答复', 'Unit-resolved with answer'],
    denied: ['群众否认', 'Denied'],
    denialRate: ['否认率', 'Denial rate'],
    cadre: ['干部', 'Cadre'],
    cadreRank: ['职级', 'Rank'],
    stayDays: ['驻村天数', 'Stay days'],
    pairings: ['结对户数', 'Pairings'],
    coverage: ['结对联系率', 'Paired coverage'],
    satisfaction: ['满意率', 'Satisfaction'],
    composite: ['综合得分', 'Composite'],
    veto: ['一票否决', 'Veto'],
    vetoed: ['否决', 'Vetoed'],
    quotaMet: ['达标', 'met'],
    quotaMissed: ['未达标', 'missed'],
    aboveLevel: ['（上级直报）', '(recorded above this level)'],
    countyWide: ['全县', 'County'],
    year: ['年度', 'Year'],
    clickToDrill: ['点击区域下钻', 'Click a region to drill down'],
    total: ['合计', 'Total'],
    more: ['加载更多', 'Load more'],
    rankBefore: ['上月名次', 'Last month'],
    rankChange: ['名次变化', 'Change'],
    rankingMeasure: ['排名指标', 'Ranked by'],
    monthlyReport: ['月度通报', 'Monthly report'],
    betterHIGHER: ['越高越好', 'higher is better'],
    betterLOWER: ['越低越好', 'lower is better'],
    betterNONE: ['规模指标，不分好坏', 'a size: neither better nor worse'],
  };
  const params = new URLSearchParams(window.location.search);
  let lang = params.get('lang') || localStorage.getItem('mq-lang') || 'zh';
  if (lang !== 'zh' && lang !== 'en') lang = 'zh';
  const idx = () => (api.lang === 'en' ? 1 : 0);
  const api = {
    lang,
    /** A UI string in the current language (the key itself when missing, so gaps are visible). */
    t(key) {
      const s = STRINGS[key];
      return s ? s[idx()] : key;
    },
    /** The label of an enum value (RegionLevel, IssueCategory, Measure, …) in the current language. */
    label(enumName, value) {
      const e = window.MQ_LABELS && window.MQ_LABELS[enumName];
      const l = e && e.labels[value];
      return l ? l[idx()] : value;
    },
    /** Adds the strings of a page or panel kept in its own file ({ key: [zh, en] }). */
    extend(more) {
      Object.assign(STRINGS, more);
    },
    setLang(next) {
      api.lang = next;
      localStorage.setItem('mq-lang', next);
      document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
    },
    /** Fills every [data-i18n] element's text under `root`. */
    apply(root) {
      root.querySelectorAll('[data-i18n]').forEach((el) => {
        el.textContent = api.t(el.getAttribute('data-i18n'));
      });
      document.documentElement.lang = api.lang === 'en' ? 'en' : 'zh-CN';
    },
  };
  window.MQ_I18N = api;
})();
