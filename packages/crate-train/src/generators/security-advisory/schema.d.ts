export interface SecurityAdvisoryGeneratorSchema {
  summary: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  affected?: string;
  ghsa?: string;
  github?: boolean;
  today?: string;
  releaseDay?: string;
  id?: string;
  crates?: string;
  releaseNote?: string;
  json?: boolean;
  overwrite?: boolean;
  fetch?: boolean;
}
