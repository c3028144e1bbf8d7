// Every report kind the API and the schedule can issue.
import type { ReportDefinition } from './definition';
import { dailyReconciliationReport } from './kinds/daily-reconciliation';
import { dailyCollectionReport } from './kinds/daily-collection';
import { monthlyRealisationReport } from './kinds/monthly-realisation';
import { strdReport, warningLettersReport } from './kinds/letters';
import { arrearsReport } from './kinds/arrears';

const DEFINITIONS: ReportDefinition[] = [
  dailyReconciliationReport,
  dailyCollectionReport,
  monthlyRealisationReport,
  arrearsReport,
  strdReport,
  warningLettersReport,
];

/** Tests add a report of their own to exercise the kit apart from any one report's data. */
export function registerReport(def: ReportDefinition): void {
  if (!DEFINITIONS.some((d) => d.kind === def.kind)) DEFINITIONS.push(def);
}

export function reportDefinition(kind: string): ReportDefinition | undefined {
  return DEFINITIONS.find((d) => d.kind === kind);
}

export const REPORT_KINDS = () => DEFINITIONS.map((d) => d.kind);
