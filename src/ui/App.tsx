import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { Box, useInput, useStdin, type Key } from 'ink';
import type { Derived } from '../model/derivedTypes.js';
import { FindingsLine } from './FindingsLine.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { actionFor, keyName, type ViewId } from './keymap.js';
import { NO_KEY, splitChunk } from './keyChunks.js';
import { computeLayout, viewTableRows, type FittingLayout, type PanelSize } from './layout.js';
import { Overview } from './Overview.js';
import { makeTheme, ThemeContext } from './theme.js';
import { TooSmall } from './TooSmall.js';
import { useTerminalSize } from './useTerminalSize.js';
import { AdvisorView, advisorRows } from './views/AdvisorView.js';
import { BatchesView } from './views/BatchesView.js';
import { EventsView } from './views/EventsView.js';
import { ExecutorsView } from './views/ExecutorsView.js';
import { ExperimentsView } from './views/ExperimentsView.js';
import { PartitionsView } from './views/PartitionsView.js';
import { StagesView } from './views/StagesView.js';

export interface AppProps {
  derived: Derived;
  onQuit: () => void;
  color: boolean;
  ascii: boolean;
  /** Replaces `sparktop` at the top left (e.g. `sparktop replay run.jsonl`). */
  title?: string;
  /** What an action just did, shown above the footer until the caller clears it. */
  statusLine?: string;
  /** Keys the ui does not handle itself (pipeline actions: + - ] [ 0 r k m s e, and any other). */
  onKey?: (key: string) => void;
  /** A form or question in place of the body: while it is open, every key goes to it. */
  modal?: Modal;
  /**
   * The modal as of the last key, for keys that arrive together (`r` then Tab in one read): the
   * App has not rendered in between, so `modal` would still be the one before the first key.
   */
  currentModal?: () => Modal | undefined;
  /** Sees every key first (by `keyName`); returning true means it was handled (replay: space, ←, →). */
  interceptKey?: (key: string) => boolean;
}

export interface Modal {
  render: (size: PanelSize) => ReactNode;
  onInput: (input: string, key: Key) => void;
}

/** The full-screen monitor: the current view, the help overlay, and the frozen display. */
export function App(props: AppProps) {
  const size = useTerminalSize();
  const theme = useMemo(() => makeTheme({ color: props.color, ascii: props.ascii }), [props.color, props.ascii]);
  const [view, setView] = useState<ViewId>('overview');
  const [help, setHelp] = useState(false);
  /** The Derived captured when the display was frozen; null while live. */
  const [frozen, setFrozen] = useState<Derived | null>(null);
  const [offset, setOffset] = useState(0);

  const derived = frozen ?? props.derived;
  const layout = computeLayout(size, { tableRows: Math.max(derived.partitions.rows.length, derived.executors.rows.length) });

  // The input handler reads the latest values through a ref, so it is subscribed once.
  const latest = useRef({ props, derived, layout, view, help });
  latest.current = { props, derived, layout, view, help };

  const onInput = useCallback((input: string, key: Key) => {
    const parts = splitChunk(input, key);
    if (parts) for (const part of parts) onKeyPress(part.input, { ...NO_KEY, ...part.key });
    else onKeyPress(input, key);
  }, []);

  const onKeyPress = (input: string, key: Key) => {
    const now = latest.current;
    const modal = now.props.currentModal ? now.props.currentModal() : now.props.modal;
    if (modal) {
      modal.onInput(input, key);
      return;
    }
    // Hotkeys typed faster than one read (`++`): one at a time.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) onKeyPress(ch, NO_KEY);
      return;
    }
    const name = keyName(input, key);
    if (name === '') return;
    if (now.props.interceptKey?.(name)) return;
    const action = actionFor(name);
    switch (action.kind) {
      case 'view':
        setView(action.view);
        setOffset(0);
        setHelp(false);
        return;
      case 'help':
        setHelp((open) => !open);
        return;
      case 'close':
        // Esc closes help; otherwise it is the caller's (e.g. to leave a form it shows).
        if (now.help) setHelp(false);
        else now.props.onKey?.(name);
        return;
      case 'freeze':
        setFrozen((current) => (current ? null : now.props.derived));
        return;
      case 'quit':
        now.props.onQuit();
        return;
      case 'scroll': {
        if (!now.layout.fits) return;
        const page = Math.max(1, viewTableRows(now.layout, now.view === 'partitions') - 1);
        const max = Math.max(0, scrollableRows(now.view, now.derived) - viewTableRows(now.layout, now.view === 'partitions'));
        const step = action.by === 'line' ? 1 : page;
        setOffset((o) => (action.by === 'end' ? 0 : Math.max(0, Math.min(max, o + action.direction * step))));
        return;
      }
      case 'external':
        now.props.onKey?.(action.key);
        return;
    }
  };
  // Without a terminal on stdin (piped), Ink cannot read keys; the screen still renders.
  const { isRawModeSupported } = useStdin();
  useInput(onInput, { isActive: isRawModeSupported === true });

  return (
    <ThemeContext.Provider value={theme}>
      {layout.fits ? (
        // Clipped vertically only: every line is already exactly as wide as its place (Line), and
        // Ink slices each line of a horizontally clipped box again on every frame it changes.
        <Box flexDirection="column" width={layout.columns} height={layout.height} overflowY="hidden">
          <Header derived={derived} width={layout.columns} title={props.title ?? 'sparktop'} frozen={frozen !== null} />
          {props.modal ? (
            props.modal.render(layout.body)
          ) : help ? (
            <HelpOverlay size={layout.body} withActions={props.onKey !== undefined} />
          ) : (
            <Body view={view} derived={derived} layout={layout} offset={offset} />
          )}
          <FindingsLine findings={derived.findings} statusLine={props.statusLine} width={layout.columns} />
          <Footer view={view} width={layout.columns} />
        </Box>
      ) : (
        <TooSmall layout={layout} rows={size.rows} />
      )}
    </ThemeContext.Provider>
  );
}

function Body(props: { view: ViewId; derived: Derived; layout: FittingLayout; offset: number }) {
  const { view, derived, layout, offset } = props;
  const common = { derived, size: layout.body, offset, visibleRows: viewTableRows(layout, view === 'partitions') };
  switch (view) {
    case 'overview':
      return <Overview derived={derived} layout={layout.overview} />;
    case 'executors':
      return <ExecutorsView {...common} />;
    case 'partitions':
      return <PartitionsView {...common} chartLines={layout.viewChartLines} />;
    case 'batches':
      return <BatchesView {...common} />;
    case 'stages':
      return <StagesView {...common} />;
    case 'events':
      return <EventsView {...common} />;
    case 'experiments':
      return <ExperimentsView {...common} />;
    case 'advisor':
      return <AdvisorView {...common} />;
  }
}

function scrollableRows(view: ViewId, d: Derived): number {
  switch (view) {
    case 'overview':
      return 0;
    case 'executors':
      return d.executors.rows.length + d.executors.removed.length;
    case 'partitions':
      return d.partitions.rows.length;
    case 'batches':
      return d.batches.rows.length;
    case 'stages':
      return d.stages.rows.length;
    case 'events':
      return d.events.length;
    case 'experiments':
      return d.experiments.length;
    case 'advisor':
      return advisorRows(d);
  }
}
