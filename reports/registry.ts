// Every report kind the API and the schedule can issue.
import type { ReportDefinition } from './definition';

const DEFINITIONS: ReportDefinition[] = [];

export function registerReport(def: ReportDefinition): void {
  if (!DEFINITIONS.some((d) => d.kind === def.kind)) DEFINITIONS.push(def);
}

export function reportDefinition(kind: string): ReportDefinition | undefined {
  return DEFINITIONS.find((d) => d.kind === kind);
}

export const REPORT_KINDS = () => DEFINITIONS.map((d) => d.kind);
