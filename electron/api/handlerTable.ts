import type { HandlerTable } from './dispatch';
import { caseHandlers } from './handlers/case';
import { gridHandlers } from './handlers/grid';
import { annotationsHandlers } from './handlers/annotations';
import { sqlHandlers } from './handlers/sql';
import { timelineHandlers } from './handlers/timeline';
import { geoHandlers } from './handlers/geo';
import { findingsHandlers } from './handlers/findings';
import { custodyHandlers } from './handlers/custody';
import { settingsHandlers } from './handlers/settings';
import { sweepHandlers } from './handlers/sweep';
import { graphActivityHandlers } from './handlers/graphActivity';
import { viewsHandlers } from './handlers/views';
import { groupingHandlers } from './handlers/grouping';
import { jobsHandlers } from './handlers/jobs';
import { importProblemsHandlers } from './handlers/importProblems';

/** The one handler table; Electron IPC and the loopback bridge both dispatch into it. */
export const handlerTable: HandlerTable = {
  ...caseHandlers,
  ...gridHandlers,
  ...annotationsHandlers,
  ...sqlHandlers,
  ...timelineHandlers,
  ...geoHandlers,
  ...findingsHandlers,
  ...custodyHandlers,
  ...settingsHandlers,
  ...sweepHandlers,
  ...graphActivityHandlers,
  ...viewsHandlers,
  ...groupingHandlers,
  ...jobsHandlers,
  ...importProblemsHandlers,
};
