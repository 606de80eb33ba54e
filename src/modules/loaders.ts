import type { DataSource } from 'typeorm';
import type { Scope } from '../domain/access';
import { createCadreLoaders } from './cadres/cadre.loader';
import { CadreService } from './cadres/cadre.service';
import { createDepartmentLoaders } from './departments/department.loader';
import { DepartmentService } from './departments/department.service';
import { createHouseholdLoaders } from './households/household.loader';
import { HouseholdService } from './households/household.service';
import { createIssueLoaders } from './issues/issue.loader';
import { IssueService } from './issues/issue.service';
import { createPairingLoaders } from './pairings/pairing.loader';
import { PairingService } from './pairings/pairing.service';
import { createRegionLoaders } from './regions/region.loader';
import { RegionService } from './regions/region.service';
import { createSurveyResponseLoaders } from './surveys/survey-response.loader';
import { SurveyResponseService } from './surveys/survey-response.service';
import { createVisitLoaders } from './visits/visit.loader';
import { VisitService } from './visits/visit.service';

/** The entity read services, built once per data source (createServices); each method takes the caller's scope. */
export function createEntityServices(ds: DataSource) {
  return {
    regions: new RegionService(ds),
    departments: new DepartmentService(ds),
    cadres: new CadreService(ds),
    households: new HouseholdService(ds),
    pairings: new PairingService(ds),
    visits: new VisitService(ds),
    issues: new IssueService(ds),
    surveyResponses: new SurveyResponseService(ds),
  };
}

export type EntityServices = ReturnType<typeof createEntityServices>;

/**
 * Per-request DataLoaders, made fresh for every request by the context (twenty's
 * createLoaders), over the shared services and restricted to the request's scope. Each
 * feature's loaders live in its own `<noun>.loader.ts`; this factory only gathers them.
 */
export function createLoaders(entities: EntityServices, scope: Scope) {
  return {
    regions: createRegionLoaders(entities.regions, scope),
    departments: createDepartmentLoaders(entities.departments, scope),
    cadres: createCadreLoaders(entities.cadres, scope),
    households: createHouseholdLoaders(entities.households, scope),
    pairings: createPairingLoaders(entities.pairings, scope),
    visits: createVisitLoaders(entities.visits, scope),
    issues: createIssueLoaders(entities.issues, scope),
    surveyResponses: createSurveyResponseLoaders(entities.surveyResponses, scope),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
