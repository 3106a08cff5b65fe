export { runDemo, type DemoOptions, type DemoResult, type DemoPull } from './demo';
export { summarizeGraph, reverseClosure, type GraphSummary, type NxGraphFile } from './graph-summary';
export { trimNxOutput, type StepRecord } from './report';
