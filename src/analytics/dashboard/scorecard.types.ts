import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../modules/shared/connection';
import { MetricValue } from '../metrics.types';
import type { ScorecardOrder } from './scorecard.service';

/** How cadreScorecards pages: by composite (ranked) or by cadre id. */
export const ScorecardOrderEnum = { COMPOSITE: 'COMPOSITE', CADRE_ID: 'CADRE_ID' } as const satisfies Record<ScorecardOrder, ScorecardOrder>;
registerEnumType(ScorecardOrderEnum, {
  name: 'ScorecardOrder',
  valuesConfig: {
    COMPOSITE: { description: '按综合得分 (by composite score, highest first; vetoed cadres last), then cadre id' },
    CADRE_ID: { description: '按干部编号 (by cadre id)' },
  },
});

@ObjectType({ description: '量化考核: one cadre’s calendar year (reporting zone) against the quotas and their pace, with composite and veto.' })
export class CadreScorecard {
  cadreId: string;
  @Field(() => Int) year: number;
  @Field(() => Float, { description: 'Sum of stayDays of VILLAGE_STAY visits in the year.' }) stayDays: number;
  @Field(() => Int, { description: '30 for LEADER, 60 for STAFF.' }) stayQuota: number;
  @Field() stayMet: boolean;
  @Field(() => Float, { description: '进度: the stay-day quota pro rata, quota × elapsed local days of the year / days in the year (as of asOf).' }) stayPace: number;
  @Field({ description: 'Stay days below floor(stayPace × 0.9) (the BEHIND_PACE worklist rule).' }) behindPace: boolean;
  @Field(() => Int, { description: 'Pairings active on the last day of the year (today for the current year).' }) activePairings: number;
  @Field(() => Int, { description: '3 for LEADER, 1 for STAFF.' }) pairingQuota: number;
  @Field() pairingsMet: boolean;
  @Field(() => MetricValue, { description: 'PAIRED_COVERAGE of the cadre’s active pairings over the year.' }) pairedCoverage: MetricValue;
  @Field(() => Int) visits: number;
  @Field(() => MetricValue, { description: 'HOLIDAY_VISIT_SHARE of the cadre’s visits.' }) holidayVisitShare: MetricValue;
  @Field(() => MetricValue, { description: 'SATISFIED_RATE of responses naming the cadre (suppressed below MIN_RESPONSES).' }) satisfaction: MetricValue;
  @Field(() => MetricValue, { description: 'SATISFACTION_AVG of responses naming the cadre.' }) satisfactionAvg: MetricValue;
  @Field(() => Float, {
    description:
      '0–100: 100 × Σ weight·part (SCORECARD_WEIGHTS: stay, pairing, coverage, satisfaction). Stay = min(cap, stayDays / stayPace) / cap and pairing = min(cap, activePairings / pairingQuota) / cap, cap = SCORECARD_QUOTA_CAP (1.2): meeting a quota earns 1/cap, credit above it counts up to the cap. Coverage = pairedCoverage (0 without pairings). Satisfaction = (satisfied + m·VETO_LINE) / (responses + m), m = MIN_RESPONSES (shrunk towards the veto line, so 5/5 does not beat 95/100); VETO_LINE when suppressed. Rounded to 9 decimals.',
  })
  composite: number;
  @Field({ description: '一票否决: satisfied rate below VETO_LINE (and not suppressed).' }) vetoed: boolean;
  @Field(() => String, { nullable: true }) vetoReason: string | null;
  @Field(() => Int, { nullable: true, description: 'Competition rank by composite among cadres not vetoed (equal composites share it); null when vetoed.' }) rank: number | null;
  @Field(() => Int, { nullable: true, description: 'Cadres with exactly equal composites share a band (the composite is a rule’s score with no interval; satisfaction’s sampling is priced in by its shrinkage); null when vetoed.' })
  tieBand: number | null;
}

export const CadreScorecardConnection = Connection('CadreScorecard', CadreScorecard);
export type CadreScorecardConnection = InstanceType<typeof CadreScorecardConnection>;
