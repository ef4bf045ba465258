import { registerBostaJobs } from './integrations/bosta/bosta-sync.js';
import { registerHierarchyJobs } from './modules/hierarchy/full-detection.js';
import { registerCallJobs } from './modules/interactions/calls.jobs.js';
import { registerServiceJobs } from './modules/service/service.jobs.js';
import type { AppContext } from './platform/context.js';

/** Declares every job handler and schedule of the product; every process calls it before starting jobs. */
export function registerJobHandlers(ctx: AppContext): void {
  registerBostaJobs(ctx);
  registerHierarchyJobs(ctx);
  registerServiceJobs(ctx);
  registerCallJobs(ctx);
}
