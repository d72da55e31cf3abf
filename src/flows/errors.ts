// Load-time problems in a flow, each pinned to file:line:col so the person editing the YAML can go straight there.

export interface FlowIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export class FlowLoadError extends Error {
  readonly issues: FlowIssue[];
  constructor(issues: FlowIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'FlowLoadError';
    this.issues = issues;
  }
}

export function formatIssue(i: FlowIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.message}`;
}
