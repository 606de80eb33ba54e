import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Department } from '../../modules/departments/department.entity';
import type { AnalyticsContext } from '../analytics.context';
import { MeasureEnum } from '../analytics.enums';
import type { Measure } from '../analytics.enums';
import { Dashboard } from './dashboard.types';
import { checkDepartmentMeasure, rankDepartments } from './departments';
import { DepartmentRow } from './departments.types';

/** The dashboard's department panel (承办单位), a panel like the others: computed only when selected. */
@Resolver(() => Dashboard)
export class DashboardDepartmentsResolver {
  @FieldResolver(() => [DepartmentRow], {
    description: '承办单位: per handling department, issues, TRANSFER_RATE, AVG_TRANSFERS, ON_TIME_RATE, FALSE_CLOSURE_RATE, CONTACTED_RATE, ranked by `rankBy` with tie bands.',
  })
  departments(
    @Root() d: Dashboard,
    @Ctx() ctx: AnalyticsContext,
    @Arg('rankBy', () => MeasureEnum, { defaultValue: 'TRANSFER_RATE', description: 'One of the row’s measures.' }) rankBy: Measure,
  ): Promise<DepartmentRow[]> {
    const by = checkDepartmentMeasure(rankBy);
    return ctx.answers.get(['departments', d.data, by], () => rankDepartments(ctx.services.metrics, d.data, ctx.scope, by));
  }
}

/** A department row's department. */
@Resolver(() => DepartmentRow)
export class DepartmentRowResolver {
  @FieldResolver(() => Department, { nullable: true, description: 'Null for issues never assigned to a department.' })
  department(@Root() r: DepartmentRow, @Ctx() ctx: AnalyticsContext): Promise<Department | null> | null {
    return r.departmentId === null ? null : ctx.loaders.departments.byId.load(r.departmentId);
  }
}
