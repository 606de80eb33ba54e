import { ApiToken, Session, User } from '../auth/access.entity';
import { Cadre } from '../modules/cadres/cadre.entity';
import { Department } from '../modules/departments/department.entity';
import { Household } from '../modules/households/household.entity';
import { Issue } from '../modules/issues/issue.entity';
import { IssueEvent } from '../modules/issues/issue-event.entity';
import { Pairing } from '../modules/pairings/pairing.entity';
import { Region, RegionClosure } from '../modules/regions/region.entity';
import { SurveyResponse } from '../modules/surveys/survey-response.entity';
import { Visit } from '../modules/visits/visit.entity';

/** Every entity TypeORM maps; a feature that adds a table adds its entity here. */
export const ENTITIES = [
  Region,
  RegionClosure,
  Department,
  Cadre,
  Household,
  Pairing,
  Visit,
  Issue,
  IssueEvent,
  SurveyResponse,
  User,
  ApiToken,
  Session,
];
