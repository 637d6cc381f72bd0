/**
 * Changes of the lab from two places at once: two monitors pressing `+` (then `-`) in the same
 * instant, and a hotkey while `sparktop submit` holds the lab lock. Whatever each one is told,
 * afterwards the lab's state lists exactly the generator processes that run (read in /proc), so
 * `lab down` can stop every one of them (the lab suite's last check).
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { eventually, runCli } from '../helpers.js';
import { liveProcesses } from '../labProbe.js';
import { LAB } from '../labUnderTest.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;

/** Generators the lab's state says are up, by name. */
async function generatorsInState(): Promise<string[]> {
  const r = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
  const status = JSON.parse(r.stdout) as { components: Array<{ name: string; up: boolean; pid: number }> };
  return status.components
    .filter((c) => c.name.startsWith('generator-') && c.up)
    .map((c) => `${c.name}:${c.pid}`)
    .sort();
}

/**
 * Generator processes that run, whatever the state says: `sparktop gen … --stats-file <the lab's
 * generators folder>/generator-N…` (the process title carries the arguments).
 */
function generatorsInProc(): string[] {
  const dir = LAB.paths.generatorsDir;
  return liveProcesses()
    .flatMap(({ pid, argv }) => {
      const m = /^sparktop gen .*--stats-file (\S+)/.exec(argv.join(' '));
      const n = m && m[1]!.startsWith(dir) ? /generator-(\d+)/.exec(m[1]!) : null;
      return n ? [`generator-${n[1]}:${pid}`] : [];
    })
    .sort();
}

/** The state and /proc agree, once every action in flight has ended. */
async function stateMatchesProcesses(what: string): Promise<string[]> {
  return eventually(
    `${what}: the lab's state lists exactly the generators that run`,
    async () => {
      const [state, proc] = [await generatorsInState(), generatorsInProc()];
      if (state.join() === proc.join()) return state;
      throw new Error(`state ${state.join(', ') || 'none'}; /proc ${proc.join(', ') || 'none'}`);
    },
    MIN,
    1000,
  );
}

export function concurrentHotkeysSuite(): void {
  const sessions: TmuxSession[] = [];
  after(() => {
    for (const s of sessions) s.kill();
  });

  it('two monitors pressing + at once, then - at once: the state lists every generator that runs', async () => {
    const a = new TmuxSession(120, 40);
    const b = new TmuxSession(120, 40);
    sessions.push(a, b);
    for (const m of [a, b]) await eventually('the overview', async () => (m.capture().includes('Partitions') ? true : undefined), MIN);
    const before = await stateMatchesProcesses('before');

    a.sendKeys('+');
    b.sendKeys('+');
    // Each monitor asks for one more than it sees: the second may find that number already there.
    for (const m of [a, b]) await eventually('the action answered on the status line', async () => (/generators \d+ → \d+|generators already|the lab is busy/.test(m.capture()) ? true : undefined), MIN, 300);
    const more = await stateMatchesProcesses('after + +');
    assert.ok(more.length > before.length, `more generators: ${before.join(', ')} → ${more.join(', ')}`);

    a.sendKeys('-');
    b.sendKeys('-');
    const fewer = await eventually('both - answered', async () => {
      const s = await stateMatchesProcesses('after - -');
      return s.length < more.length ? s : undefined;
    }, MIN, 1000);
    // Each asks for one fewer than the state holds when it acts: one fewer in all when both read the
    // same count, two fewer when one acted after the other's change had landed.
    assert.ok(fewer.length >= more.length - 2, `at most two fewer: ${more.join(', ')} → ${fewer.join(', ')}`);
    // Back to the lab's one generator for the suites after this one.
    if (fewer.length !== 1) {
      a.sendKeys(fewer.length === 0 ? '+' : '-');
      await eventually('one generator', async () => ((await stateMatchesProcesses('back to one')).length === 1 ? true : undefined), MIN, 1000);
    }
  });

  it('a hotkey while `sparktop submit` holds the lab lock: refused with who holds it, and nothing is lost', async () => {
    const [m] = sessions;
    const before = await stateMatchesProcesses('before');
    let pressed = false;
    const submit = runCli(['submit'], {
      timeoutMs: 15 * MIN,
      // Once submit has said what it runs, it holds the lock for as long as the job takes to start.
      onStdout: (text) => {
        if (!pressed && /spark-submit/.test(text)) {
          pressed = true;
          m!.sendKeys('+');
        }
      },
    });
    const r = await submit;
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(pressed, 'the key was pressed during the submission');
    // The status line (cut to the terminal's width) says it; the events view has the whole sentence.
    await eventually('the refusal on the status line', async () => (/the lab is busy/.test(m!.capture()) ? true : undefined), MIN, 300);
    m!.sendKeys('6');
    await eventually('who held the lock, in the events view', async () => (/another sparktop \(pid \d+\) is running\s*`lab\s+submit`/.test(m!.capture().replace(/[│|]\s*\n\s*[│|]?/g, ' ')) ? true : undefined), 30_000, 300);
    m!.sendKeys('1');
    assert.deepEqual(await stateMatchesProcesses('after'), before, 'the generators are as they were');
  });
}
