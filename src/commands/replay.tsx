import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { indexRecording, recordingInMemory, type RecordingReplay } from '../record/replayIndex.js';
import { writeSnapshot } from '../record/screenSnapshot.js';
import { modelOptionsOf, ReplayPlayer, MAX_SPEED, MIN_SPEED } from '../record/replaySource.js';
import { resolveAdvisorConfig, wantsColor } from '../config/watchConfig.js';
import { InvalidResource } from '../domain/resources.js';
import type { Derived } from '../model/derivedTypes.js';
import type { RecordingHeader } from '../record/recordingFormat.js';
import { App } from '../ui/App.js';
import { openFullScreen } from './fullScreen.js';
import { readEventLog } from './eventLogInput.js';
import { recordingFor } from './recordingInput.js';

/** Pipeline hotkeys of the live monitor: a replay only shows what happened. */
const ACTION_KEYS = new Set(['+', '-', ']', '[', '0', 'r', 'k', 'm', 'e']);

/** Replay's own keys (before the App's: space is not freeze, ← → are not scroll); each may return a note. */
const REPLAY_KEYS: Record<string, (player: ReplayPlayer) => string | undefined> = {
  space: (p) => void p.togglePause(),
  left: (p) => void p.step(-1),
  right: (p) => void p.step(1),
  '>': (p) => changeSpeed(p, 1),
  '<': (p) => changeSpeed(p, -1),
};

function changeSpeed(player: ReplayPlayer, direction: 1 | -1): string | undefined {
  const before = player.speed;
  player.changeSpeed(direction);
  return player.speed === before ? `speed limits: ×${MIN_SPEED} to ×${MAX_SPEED}` : undefined;
}

export interface ReplayProps {
  player: ReplayPlayer;
  title: string;
  color: boolean;
  ascii: boolean;
  onQuit: () => void;
  /** A note shown until the first key (e.g. that a torn last line was skipped). */
  note?: string;
  /** `s`: writes a snapshot and returns the sentence to show. */
  onSnapshot?: () => string;
  /** Real clock in ms (tests pass a fake) and how often it is read. */
  now?: () => number;
  tickMs?: number;
}

/** The App driven by a ReplayPlayer: the recorded clock runs at `speed` until paused or at the end. */
export function Replay({ player, title, color, ascii, onQuit, note, onSnapshot, now = () => performance.now(), tickMs = 100 }: ReplayProps) {
  const [derived, setDerived] = useState<Derived>(() => player.derive());
  const [message, setMessage] = useState<string | undefined>(note);
  const shown = useRef({ bucket: 0, end: false });

  const redraw = useCallback(() => {
    shown.current = { bucket: Math.floor((player.position - player.start) / player.refreshMs), end: player.atEnd() };
    setDerived(player.derive());
  }, [player]);

  useEffect(() => {
    let last = now();
    const timer = setInterval(() => {
      const t = now();
      player.advance(t - last);
      last = t;
      // As live: one new picture per refresh of recorded time (and the last one at the end).
      const bucket = Math.floor((player.position - player.start) / player.refreshMs);
      if (bucket !== shown.current.bucket || player.atEnd() !== shown.current.end) redraw();
    }, tickMs);
    return () => clearInterval(timer);
  }, [player, now, tickMs, redraw]);

  const interceptKey = (key: string): boolean => {
    const act = REPLAY_KEYS[key];
    if (!act) return false;
    setMessage(act(player));
    redraw();
    return true;
  };
  const onKey = (key: string) => {
    if (ACTION_KEYS.has(key)) setMessage('a replay cannot act: it shows what was recorded');
    else if (key === 's' && onSnapshot) setMessage(onSnapshot());
  };
  const statusLine = `replay ${player.status()}${message ? ` — ${message}` : ''}`;
  return <App derived={derived} onQuit={onQuit} color={color} ascii={ascii} title={title} statusLine={statusLine} onKey={onKey} interceptKey={interceptKey} />;
}

export interface ReplayFlags {
  speed?: string;
  /** Start paused at this offset from the recording's start: `90`, `1:30`, `1:02:03`. */
  at?: string;
  color?: boolean;
  ascii?: boolean;
  /** The advisor's settings to replay with (not the recorded ones): `name=value`, repeatable. */
  threshold?: string[];
  config?: string;
  /** `file` is a Spark event log (--event-log), not a recording. */
  eventLog?: string;
}

/** `--speed 2`, `2x`, `x0.5`; a usage error (InvalidResource) outside MIN_SPEED..MAX_SPEED. */
export function parseSpeed(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value.trim().replace(/^[x×]|[x×]$/g, ''));
  if (value.trim() === '' || !Number.isFinite(n) || n < MIN_SPEED || n > MAX_SPEED) throw new InvalidResource('speed', `expected a number from ${MIN_SPEED} to ${MAX_SPEED}, got "${value}"`);
  return n;
}

/** `--at 1:30` (or `90`, `1:02:03`): ms from the recording's start; a usage error otherwise. */
export function parseAt(value: string): number {
  const m = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d+)?)$/.exec(value.trim());
  const hours = Number(m?.[1] ?? 0);
  const minutes = Number(m?.[2] ?? 0);
  const seconds = Number(m?.[3]);
  if (!m || (m[2] !== undefined && seconds >= 60) || minutes >= 60 || !Number.isFinite(seconds)) {
    throw new InvalidResource('at', `expected an offset like 90, 1:30 or 1:02:03, got "${value}"`);
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** Files from this size get a progress line while they are read (a GB takes tens of seconds). */
const PROGRESS_FROM_BYTES = 64 * 1024 * 1024;

/**
 * `sparktop replay FILE [--speed N] [--at OFFSET]`: the recorded run on the same screen as live.
 * The file is read once into an index of snapshots (src/record/replayIndex.ts), so memory stays
 * bounded whatever its size.
 */
export async function replayCommand(file: string, flags: ReplayFlags): Promise<number> {
  const speed = parseSpeed(flags.speed);
  const at = flags.at === undefined ? null : parseAt(flags.at);
  const advisor = resolveAdvisorConfig(flags);
  const modelFor = (header: RecordingHeader) => ({ ...modelOptionsOf(header.config), advisor });
  const eventLog = flags.eventLog;
  let recording: RecordingReplay | null;
  if (eventLog !== undefined) {
    const whole = await recordingFor('replay', () => readEventLog(eventLog));
    recording = whole && recordingInMemory(whole, modelFor(whole.header));
  } else {
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const progress = process.stderr.isTTY && size > PROGRESS_FROM_BYTES ? (read: number) => process.stderr.write(`\rsparktop: reading ${file}: ${Math.floor((100 * read) / size)} %`) : undefined;
    recording = await recordingFor('replay', () => indexRecording(file, { model: modelFor, onProgress: progress }));
    if (progress) process.stderr.write('\r\x1b[K');
  }
  if (!recording) return 2;
  try {
    return await replayIndexed(recording, file, { speed, at, flags });
  } finally {
    recording.close();
  }
}

async function replayIndexed(recording: RecordingReplay, file: string, { speed, at, flags }: { speed: number; at: number | null; flags: ReplayFlags }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('sparktop: replay needs an interactive terminal\n');
    return 2;
  }
  const config = recording.header.config;
  const player = new ReplayPlayer(recording, {
    refreshMs: typeof config.refreshMs === 'number' ? config.refreshMs : 1000,
    speed,
    startedAt: recording.header.startedAt,
  });
  if (at !== null) {
    player.seek(player.start + at);
    player.paused = true;
  }
  const screen = openFullScreen(
    (quit, sink) => (
      <Replay
        player={player}
        title={`sparktop replay ${flags.eventLog !== undefined ? '--event-log ' : ''}${file}`}
        color={wantsColor(flags.color)}
        ascii={flags.ascii === true}
        onQuit={quit}
        note={recording.tornLastLine ? (flags.eventLog !== undefined ? 'the log ends mid-event: read up to its last whole event' : 'a torn last line was skipped') : undefined}
        onSnapshot={() => {
          try {
            return `snapshot: ${writeSnapshot(sink.lastFrame(), process.cwd()).txt}`;
          } catch (err) {
            return `snapshot failed: ${(err as Error).message}`;
          }
        }}
      />
    ),
    { exitOnCtrlC: true },
  );
  try {
    await screen.done;
  } finally {
    screen.unmount();
    screen.leave();
  }
  return 0;
}
