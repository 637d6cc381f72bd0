/**
 * Every key the monitor knows and what it does. The App acts on this table and the help overlay
 * prints it, so help and behaviour cannot disagree.
 */

export type ViewId = 'overview' | 'executors' | 'partitions' | 'batches' | 'stages' | 'events' | 'experiments' | 'advisor';

export const VIEWS: ReadonlyArray<{ id: ViewId; key: string; label: string; short: string }> = [
  { id: 'overview', key: '1', label: 'overview', short: 'ovw' },
  { id: 'executors', key: '2', label: 'executors', short: 'exec' },
  { id: 'partitions', key: '3', label: 'partitions', short: 'part' },
  { id: 'batches', key: '4', label: 'batches', short: 'batch' },
  { id: 'stages', key: '5', label: 'stages', short: 'stage' },
  { id: 'events', key: '6', label: 'events', short: 'event' },
  { id: 'experiments', key: '7', label: 'experiments', short: 'exp' },
  { id: 'advisor', key: '8', label: 'advisor', short: 'adv' },
];

export type Action =
  | { kind: 'view'; view: ViewId }
  | { kind: 'help' }
  | { kind: 'close' }
  | { kind: 'freeze' }
  | { kind: 'quit' }
  | { kind: 'scroll'; by: 'line' | 'page' | 'end'; direction: 1 | -1 }
  /** Handled outside the ui (generators, the Spark job, marks): passed to `onKey`. */
  | { kind: 'external'; key: string };

export interface Binding {
  /** Key names as `keyName` returns them; the first is the one help shows. */
  keys: readonly string[];
  /** How help writes the keys. */
  display: string;
  description: string;
  group: 'views' | 'display' | 'actions';
  action: Action;
}

const viewBindings: Binding[] = VIEWS.map((v) => ({
  keys: [v.key],
  display: v.key,
  description: v.label,
  group: 'views',
  action: { kind: 'view', view: v.id },
}));

const displayBindings: Binding[] = [
  { keys: ['?'], display: '?', description: 'help (this screen)', group: 'display', action: { kind: 'help' } },
  { keys: ['escape'], display: 'esc', description: 'close help', group: 'display', action: { kind: 'close' } },
  { keys: ['space'], display: 'space', description: 'freeze / unfreeze the display', group: 'display', action: { kind: 'freeze' } },
  { keys: ['down'], display: '↓', description: 'scroll down (tables)', group: 'display', action: { kind: 'scroll', by: 'line', direction: 1 } },
  { keys: ['up'], display: '↑', description: 'scroll up (tables)', group: 'display', action: { kind: 'scroll', by: 'line', direction: -1 } },
  { keys: ['pagedown'], display: 'pgdn', description: 'page down', group: 'display', action: { kind: 'scroll', by: 'page', direction: 1 } },
  { keys: ['pageup'], display: 'pgup', description: 'page up', group: 'display', action: { kind: 'scroll', by: 'page', direction: -1 } },
  { keys: ['home'], display: 'home', description: 'back to the newest rows', group: 'display', action: { kind: 'scroll', by: 'end', direction: -1 } },
  { keys: ['q', 'ctrl+c'], display: 'q', description: 'quit', group: 'display', action: { kind: 'quit' } },
];

/**
 * Pipeline actions (README.md "Keys"). The ui only forwards them (to `onKey`); help
 * lists them only when something is listening.
 */
const externalBindings: Binding[] = [
  ['+', '+', 'one more load generator'],
  ['-', '-', 'one generator less'],
  [']', ']', 'raise the generator rate'],
  ['[', '[', 'lower the generator rate'],
  ['0', '0', 'pause the generators'],
  ['r', 'r', 'resubmit the Spark job (form)'],
  ['k', 'k', 'kill the Spark job'],
  ['m', 'm', 'mark this moment'],
  ['s', 's', 'snapshot'],
  ['e', 'e', 'export experiments'],
  ['a', 'a', 'applications and queries: list, switch'],
].map(([key, display, description]) => ({
  keys: [key!],
  display: display!,
  description: description!,
  group: 'actions' as const,
  action: { kind: 'external' as const, key: key! },
}));

export const KEYMAP: readonly Binding[] = [...viewBindings, ...displayBindings, ...externalBindings];

const byKey = new Map<string, Binding>();
for (const binding of KEYMAP) for (const key of binding.keys) byKey.set(key, binding);

/** The subset of Ink's `Key` that names a key. */
export interface KeyFlags {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  escape?: boolean;
  return?: boolean;
  tab?: boolean;
  ctrl?: boolean;
}

/** One name per key: `q`, `+`, `space`, `up`, `left`, `escape`, `ctrl+c`. */
export function keyName(input: string, key: KeyFlags): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.escape) return 'escape';
  if (key.return) return 'return';
  if (key.tab) return 'tab';
  if (key.ctrl) return `ctrl+${input}`;
  if (input === ' ') return 'space';
  return input;
}

/** What a key does; keys the table does not know are external too (the caller may wire them). */
export function actionFor(name: string): Action {
  return byKey.get(name)?.action ?? { kind: 'external', key: name };
}

/** Bindings help shows: pipeline actions only when something handles them. */
export function helpBindings(withActions: boolean): Binding[] {
  return KEYMAP.filter((b) => b.group !== 'actions' || withActions);
}
