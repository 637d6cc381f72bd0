import type { PanelSize } from '../layout.js';
import { innerWidth } from '../layout.js';
import { Lines } from '../Line.js';
import { Panel } from '../Panel.js';
import { fit, textWidth, type Span } from '../../text/cells.js';
import { executorCount, FIELDS, validateForm, type ResubmitFormState } from './resubmitForm.js';

const LABEL_WIDTH = 22;
const VALUE_WIDTH = 32;

/** `r`: the resubmit form, its review (the exact spark-submit line) and what is wrong with it. */
export function ResubmitForm(props: { form: ResubmitFormState; size: PanelSize }) {
  const width = innerWidth(props.size);
  const lines = resubmitFormLines(props.form, width);
  const hint = props.form.stage === 'review' ? 'enter apply · esc back' : props.form.stage === 'reviewing' ? 'esc back' : 'enter review · esc cancel';
  return (
    <Panel title="Resubmit the Spark job" right={[{ text: hint, tone: 'muted' }]} size={props.size}>
      <Lines lines={lines.slice(0, Math.max(0, props.size.height - 2))} width={width} />
    </Panel>
  );
}

/** Wraps a command line at spaces (words longer than the width are cut into pieces). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (textWidth(w) > width) {
      if (line) lines.push(line);
      line = '';
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (line && textWidth(line) + 1 + textWidth(w) > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

export function resubmitFormLines(form: ResubmitFormState, width: number): Span[][] {
  if (form.stage === 'review' && form.review) {
    return [
      [{ text: ' This runs (argument by argument, never through a shell):', bold: true }],
      [],
      ...wrapWords(form.review.commandLine, Math.max(10, width - 2)).map((l): Span[] => [{ text: ` ${l}` }]),
      [],
      [{ text: ' Enter: stop the running app, wait for its resources, submit, wait for the first batch.', tone: 'muted' }],
      [{ text: ' Esc: back to the form.', tone: 'muted' }],
    ];
  }
  const { errors } = validateForm(form.values, form.base, form.limits);
  const lines: Span[][] = [[]];
  FIELDS.forEach((f, i) => {
    const focused = i === form.focus && form.stage === 'edit';
    const value = form.values[f.id];
    const shown = value === '' && !focused ? f.blank : value;
    const valueWidth = Math.max(8, Math.min(VALUE_WIDTH, width - LABEL_WIDTH - 4));
    const cell = focused ? `${fitTail(value, valueWidth - 1)}▏` : shown;
    const error = errors[f.id];
    lines.push([
      { text: focused ? ' ▸ ' : '   ', tone: 'accent', bold: true },
      { text: fit(f.label, LABEL_WIDTH), bold: focused },
      { text: fit(cell, valueWidth), inverse: focused, dim: value === '' && !focused },
      { text: '  ' },
      error ? { text: error, tone: 'bad' } : { text: '' },
    ]);
  });
  lines.push([]);
  const count = executorCount(form.values, form.limits);
  const { totalCores, workerCores, workerMemoryMb } = form.limits;
  lines.push([
    { text: '   → ', tone: 'muted' },
    { text: count === null ? 'executors: as many as the cluster allows' : `${count} executor${count === 1 ? '' : 's'}`, bold: true },
    { text: ' (a standalone master starts total ÷ executor cores; --num-executors is ignored there)', tone: 'muted' },
  ]);
  lines.push([
    { text: '   cluster: ', tone: 'muted' },
    { text: `${totalCores ?? '?'} cores, largest worker ${workerCores ?? '?'} cores / ${workerMemoryMb ?? '?'} MB`, tone: 'muted' },
  ]);
  lines.push([]);
  if (form.stage === 'reviewing') lines.push([{ text: ' preparing the exact command line…', tone: 'accent' }]);
  else if (form.message) lines.push([{ text: ` ${form.message}`, tone: 'bad', bold: true }]);
  else lines.push([{ text: ' tab/↑↓ move · type to edit · backspace, ctrl+u clear · enter review · esc cancel', tone: 'muted' }]);
  return lines;
}

/** The end of a value that is wider than its cell (the cursor is at the end). */
function fitTail(value: string, width: number): string {
  return textWidth(value) <= width ? value : `…${value.slice(value.length - (width - 1))}`;
}
