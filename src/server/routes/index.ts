import type { RouteModule } from '../context';
import { authRoutes } from './auth';
import { healthRoutes } from './health';
import { incidentRoutes } from './incidents';
import { layerRoutes } from './layers';
import { legalRoutes } from './legal';
import { logRoutes } from './log';
import { registerRoutes } from './register';
import { reviewRoutes } from './review';
import { privacyRoutes } from './privacy';
import { sourceRoutes, statisticsRoutes } from './sources';
import { monitorRoutes } from './monitor';
import { auditRoutes } from './audits';
import { forecastRoutes } from './forecast';
import { patrolRoutes } from './patrol';
import { userRoutes } from './users';
import { urgentRoutes } from './urgent';
import { agencyRoutes } from './agency';

/** Every route module, one per capability. A new capability adds its file and one line here. */
export const ROUTE_MODULES: RouteModule[] = [
  healthRoutes,
  authRoutes,
  userRoutes,
  incidentRoutes,
  layerRoutes,
  logRoutes,
  registerRoutes,
  reviewRoutes,
  privacyRoutes,
  sourceRoutes,
  statisticsRoutes,
  monitorRoutes,
  auditRoutes,
  forecastRoutes,
  patrolRoutes,
  legalRoutes,
  urgentRoutes,
  agencyRoutes,
];
