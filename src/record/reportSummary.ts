/** The report's run summary: when and where it was recorded, the applications, the cluster, the configuration. */
import { differencesFromDefaults } from '../model/advisor/settings.js';
import { clock } from './replaySource.js';
import { redactUrl, type RecordingHeader } from './recordingFormat.js';
import type { RunFacts } from './reportRun.js';
import { mdTable, utcDateTime } from './reportText.js';
import { formatDuration } from '../text/format.js';

export interface SummaryInput {
  header: RecordingHeader;
  facts: RunFacts;
  start: number;
  end: number;
  samples: number;
  tornLastLine: boolean;
  targetMs: number;
}

const mib = (mb: number) => (mb >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${mb} MiB`);

function clusterLine(facts: RunFacts): string {
  const m = facts.master;
  if (!m) return 'unknown (the master never answered)';
  const alive = m.workers.filter((w) => w.state === 'ALIVE').length;
  return `${alive} worker${alive === 1 ? '' : 's'} alive, ${m.cores} cores, ${mib(m.memory)} (at the end; at most ${facts.peak.workers} workers, ${facts.peak.cores} cores, ${mib(facts.peak.memoryMb)})`;
}

function configValue(key: string, v: unknown): string {
  if (key === 'advisor') {
    const differences = differencesFromDefaults(v);
    return differences.length === 0 ? 'default thresholds' : `thresholds differ from the defaults: ${differences.join(', ')}`;
  }
  return typeof v === 'string' ? redactUrl(v) : JSON.stringify(v) ?? '–';
}

export function summarySection(input: SummaryInput): string[] {
  const { header, facts, start, end } = input;
  const kinds = Object.entries(facts.kinds).map(([k, n]) => `${k} ${n}`).join(', ');
  const eventLog = typeof header.config.eventLog === 'string' ? header.config.eventLog : null;
  const spark = typeof header.config.sparkVersion === 'string' ? `Spark ${header.config.sparkVersion}` : 'Spark';
  const rows: string[][] = [
    ['recorded', `${utcDateTime(start)} → ${utcDateTime(end)} (${clock(end - start)})`],
    eventLog !== null
      ? ['recorded by', `${spark}'s event log, read by sparktop ${header.version ?? 'unknown'} into samples as the live sources give them`]
      : ['recorded by', `sparktop ${header.version ?? 'unknown'} (recording format ${header.sparktop})${header.host ? ` on ${header.host.hostname} (${header.host.platform}, Node ${header.host.node})` : ''}`],
    ['samples', `${input.samples}${kinds ? ` (${kinds})` : ''}`],
    ['applications', String(facts.apps.length)],
    ['cluster', clusterLine(facts)],
    ['target batch duration', formatDuration(input.targetMs)],
  ];
  if (input.tornLastLine && eventLog !== null) rows.push(['note', 'the event log ends mid-event (the run was still going, or was killed): it was read up to its last whole event']);
  else if (input.tornLastLine) rows.push(['note', 'the last line of the file was torn (the recorder was stopped mid-write) and was skipped']);
  const lines = ['## Run summary', '', ...mdTable(['', ''], rows), ''];

  if (facts.apps.length > 0) {
    const apps = facts.apps.map((a) => [a.id, a.name ?? '–', a.startedAt === null ? '–' : utcDateTime(a.startedAt), utcDateTime(a.firstSeen), utcDateTime(a.lastSeen)]);
    lines.push('### Applications', '', ...mdTable(['app', 'name', 'started (driver)', 'first answer', 'last answer'], apps), '');
  }
  const workers = facts.master?.workers ?? [];
  if (workers.length > 0) {
    const rowsW = workers.map((w) => [w.id, w.host, w.state, String(w.cores), String(w.coresused), mib(w.memory), mib(w.memoryused)]);
    lines.push('### Cluster (last master answer)', '', ...mdTable(['worker', 'host', 'state', 'cores', 'cores used', 'memory', 'memory used'], rowsW, [3, 4, 5, 6]), '');
  }
  const config = Object.entries(header.config).map(([k, v]) => [k, configValue(k, v)]);
  if (config.length > 0) lines.push('### Configuration (recording header)', '', ...mdTable(['setting', 'value'], config), '');
  return lines;
}
