import { Connection } from '../shared/connection';
import { SurveyResponse } from './survey-response.entity';

export const SurveyResponseConnection = Connection('SurveyResponse', SurveyResponse);
export type SurveyResponseConnection = InstanceType<typeof SurveyResponseConnection>;
