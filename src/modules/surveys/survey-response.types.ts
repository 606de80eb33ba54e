import { Connection } from '../../graphql/connection';
import { SurveyResponse } from './survey-response.entity';

export const SurveyResponseConnection = Connection('SurveyResponse', SurveyResponse);
export type SurveyResponseConnection = InstanceType<typeof SurveyResponseConnection>;
