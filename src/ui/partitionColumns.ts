/** The partitions table's columns, for the overview panel (compact) and view 3 (full). */
import type { PartitionRow, PartitionStatus } from '../model/derivedTypes.js';
import type { Tone } from '../text/cells.js';
import { formatCompact, formatDuration, formatInt, formatSeconds } from '../text/format.js';
import { columnsOf, type Column, type TableColumn } from './table.js';

export const PARTITION_STATUS_TONES: Record<PartitionStatus, Tone> = { OK: 'good', WARN: 'warn', STALL: 'bad', STOP: 'bad', UNKNOWN: 'muted' };

function eta(r: PartitionRow): string {
  if (!r.eta) return '–';
  return `${r.eta.kind === 'drain' ? 'drains in' : 'doubles in'} ${formatDuration(r.eta.seconds * 1000)}`;
}

const COLUMNS: TableColumn<PartitionRow>[] = [
  { header: 'P', width: 3, align: 'right', priority: 0, cell: (r) => String(r.partition), compact: { width: 2 } },
  { header: 'end-offset', width: 13, align: 'right', priority: 2, cell: (r) => formatInt(r.logEndOffset), compact: { width: 11, priority: 4 } },
  { header: 'spark offset', width: 13, align: 'right', priority: 3, cell: (r) => formatInt(r.sparkOffset), compact: { header: 'spark', width: 11, priority: 5 } },
  { header: 'lag', width: 11, align: 'right', priority: 0, cell: (r) => formatInt(r.lag), compact: { width: 9 } },
  { header: 'lag s', width: 6, align: 'right', priority: 1, cell: (r) => formatSeconds(r.lagSeconds), compact: { width: 5 } },
  { header: 'in rec/s', width: 8, align: 'right', priority: 2, cell: (r) => formatCompact(r.produceRps), compact: { header: 'rate', width: 5 } },
  { header: 'status', width: 6, priority: 0, cell: (r) => r.status, tone: (r) => PARTITION_STATUS_TONES[r.status], compact: { header: 'st', width: 5 } },
  { header: 'eta', width: 16, priority: 4, grow: 1, cell: eta, tone: (r) => (r.eta?.kind === 'double' ? 'warn' : undefined), compact: false },
];

/** A consumer group's offsets (--group): the full view only. */
const GROUP_COLUMNS: TableColumn<PartitionRow>[] = [
  { header: 'group offset', width: 13, align: 'right', priority: 5, cell: (r) => formatInt(r.groupOffset), compact: false },
  { header: 'group lag', width: 11, align: 'right', priority: 5, cell: (r) => formatInt(r.groupLag), compact: false },
];

export function partitionColumns(form: 'full' | 'compact', withGroup = false): Column<PartitionRow>[] {
  return columnsOf(withGroup ? [...COLUMNS, ...GROUP_COLUMNS] : COLUMNS, form);
}
