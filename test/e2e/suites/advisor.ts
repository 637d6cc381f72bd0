/**
 * The advisor's rules in real scenarios on the live lab (issue #7): each scenario is made with the
 * lab's own controls (resubmission, generators, the topic) and the finding is read from
 * `status --json`, as a script would. The lab is put back to the classroom baseline at the end.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, it } from 'node:test';
import { LocalLabControl } from '../../../src/control/localLab.js';
import { recreateTopic } from '../../../src/lab/kafkaBroker.js';
import { BIN, eventually, getJson, runCli } from '../helpers.js';
import { liveProcesses } from '../labProbe.js';
import { LAB, labKafkaAuth, labKafkaConfigArgs } from '../labUnderTest.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;
const BROKER = LAB.kafka;
const DRIVER = LAB.driverUi;

interface StatusJson {
  health: string;
  kafka: { partitions: unknown[] };
  spark: { appId: string };
  findings: Array<{ id: string; severity: string; message: string; evidence: { text: string } }>;
}

async function findings(): Promise<StatusJson> {
  const r = await runCli(['status', '--json'], { timeoutMs: MIN });
  return JSON.parse(r.stdout) as StatusJson;
}

/** Waits until `status --json` names the finding; returns its message and evidence. */
async function findingShows(id: string, timeoutMs: number): Promise<string> {
  return eventually(
    `finding ${id}`,
    async () => {
      const f = (await findings()).findings.find((x) => x.id === id);
      return f ? `${f.message}\n${f.evidence.text}` : undefined;
    },
    timeoutMs,
    3000,
  );
}

/** The app's executor JVMs on this machine (the worker's children), from their command lines: executor id → pid. */
function executorJvms(appId: string): Map<string, number> {
  const jvms = new Map<string, number>();
  for (const { pid, argv } of liveProcesses()) {
    const arg = (flag: string) => argv[argv.indexOf(flag) + 1];
    if (argv.some((a) => a.endsWith('CoarseGrainedExecutorBackend')) && arg('--app-id') === appId) jvms.set(arg('--executor-id')!, pid);
  }
  return jvms;
}

const executorPids = (appId: string) => [...executorJvms(appId).values()];
const executorPid = (appId: string, id: string) => executorJvms(appId).get(id);

async function submit(...flags: string[]): Promise<void> {
  const r = await runCli(['submit', ...flags], { timeoutMs: 15 * MIN });
  assert.equal(r.code, 0, `submit ${flags.join(' ')}:\n${r.stdout}\n${r.stderr}`);
}

export function advisorSuite(): void {
  const control = new LocalLabControl(LAB.paths);
  const sessions: TmuxSession[] = [];

  after(async () => {
    for (const t of sessions) t.kill();
    // Back to what the later tests expect: one generator at 10 000 rec/s, a 2-partition topic, the baseline job.
    await control.setRate(10_000);
    await control.scaleGenerators(1);
    await control.setPaused(false);
  });

  it('healthy, and only healthy, on a steady run the job keeps up with', async () => {
    await control.scaleGenerators(1);
    await control.setRate(5000);
    await submit('--executor-cores', '1', '--total-executor-cores', '2', '--shuffle-partitions', '2');
    const ids = await eventually('only healthy', async () => {
      const f = (await findings()).findings.map((x) => x.id);
      return f.length === 1 && f[0] === 'healthy' ? f : undefined;
    }, 4 * MIN, 3000);
    assert.deepEqual(ids, ['healthy']);
    const check = await runCli(['check'], { timeoutMs: MIN });
    assert.equal(check.code, 0, check.stdout);
  });

  it('skew when one generator writes every record to partition 0', async () => {
    await control.setPaused(true);
    const hot = spawn(process.execPath, [BIN, 'gen', '--kafka', BROKER, ...labKafkaConfigArgs(), '--partition', '0', '--rps', '5000'], { stdio: 'ignore' });
    try {
      // Partition 0 gets 5 000 rec/s, partition 1 none: max ÷ median = 2 (Dr. Elephant's moderate is
      // 1.78). The finding can show first while the window still holds partition 1's last records
      // (1.8×), so the ratio is awaited, and the last message seen is in the timeout's error.
      const message = await eventually('skew at 2.00× the median', async () => {
        const f = (await findings()).findings.find((x) => x.id === 'skew');
        if (!f) return undefined;
        const text = `${f.message}\n${f.evidence.text}`;
        if (!/produce rate across partitions 2\.00×/.test(text)) throw new Error(`skew shows: ${text}`);
        return text;
      }, 3 * MIN, 3000);
      assert.match(message, /produce rate across partitions 2\.00×/);
    } finally {
      hot.kill('SIGTERM');
      await control.setPaused(false);
    }
  });

  it('resources-mismatch when --num-executors is given to a standalone master', async () => {
    await submit('--executor-cores', '1', '--total-executor-cores', '2', '--shuffle-partitions', '2', '--num-executors', '4');
    const message = await findingShows('resources-mismatch', 3 * MIN);
    assert.match(message, /spark\.executor\.instances=4 \(--num-executors\) but 2 executors run/);
  });

  it('shuffle-partitions with the default 200 on 2 cores', async () => {
    await submit('--executor-cores', '1', '--total-executor-cores', '2');
    const message = await findingShows('shuffle-partitions', 4 * MIN);
    assert.match(message, /shuffle partitions 200/);
  });

  it('batch-over-target when 200 shuffle partitions on 2 cores meet a 5 s target', async () => {
    // Every batch schedules 200 state-store tasks on 2 cores: 10–16 s here, whatever the input.
    const message = await eventually('batch-over-target', async () => {
      const r = await runCli(['status', '--json', '--target-batch', '5s'], { timeoutMs: MIN });
      return (JSON.parse(r.stdout) as StatusJson).findings.find((f) => f.id === 'batch-over-target')?.message;
    }, 4 * MIN, 3000);
    const m = /p95 batch ([\d.]+) s, target 5\.0 s\)/.exec(message);
    assert.ok(m && Number(m[1]) > 5, message);
  });

  it('executor-lost in the monitor when a busy executor JVM is killed with kill -9', async () => {
    // The baseline job (200 shuffle partitions on 2 cores) keeps its executors busy nearly all the
    // time: the one killed has a task running. Its ExecutorLostFailure reaches the executor's
    // failedTasks only when Spark handles the task's end before the executor's removal (not always),
    // so failed-tasks is not asserted here.
    const appId = (await findings()).spark.appId;
    assert.equal(executorPids(appId).length, 2, `two executor JVMs of ${appId}`);
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    // Both findings are increases of counters: the monitor must have seen them before the kill.
    await eventually('the monitor with its executors', async () => (/│\d+ +1 +\d+ +\d+ +\d+ /.test(tmux.capture()) ? true : undefined), MIN, 500);
    tmux.sendKeys('8');
    const busy = await eventually('an executor with a task running', async () => {
      const rows = await getJson<Array<{ id: string; activeTasks: number }>>(`${DRIVER}/api/v1/applications/${appId}/executors`);
      const id = rows.find((e) => e.id !== 'driver' && e.activeTasks > 0)?.id;
      return id === undefined ? undefined : executorPid(appId, id);
    }, MIN, 200);
    process.kill(busy, 'SIGKILL');
    const screen = await eventually('executor-lost in the advisor view', async () => {
      const s = tmux.capture();
      return /Executors lost/.test(s) ? s : undefined;
    }, 2 * MIN, 1000);
    // The view wraps long text at word boundaries inside the panel's border.
    const text = screen.replace(/[│┌┐└┘─]/g, ' ').replace(/\s+/g, ' ');
    assert.match(text, /1 executor removed in the last/);
    assert.match(text, /Exit code 137 is a SIGKILL/);
    tmux.kill();
    // The worker starts a replacement and the job goes on.
    await eventually('a replacement executor', async () => (executorPids(appId).length === 2 ? true : undefined), 2 * MIN, 2000);
  });

  it('generator-bound when one generator is asked for more than it can produce', async () => {
    await control.setRate(2_000_000);
    const message = await findingShows('generator-bound', 2 * MIN);
    assert.match(message, /target 2000k rec\/s/);
    await control.setRate(5000);
  });

  it('falling-behind in the monitor with one core reading at most 5 000 records a batch while 20 000 rec/s come in', async () => {
    // Capped batches stay short and regular, so the lag's growth shows within a few of them
    // (uncapped, each batch takes the whole backlog and grows longer: minutes per batch on 2 cores).
    // The trend needs history: the monitor has it, a one-look `status` does not.
    await submit('--executor-cores', '1', '--total-executor-cores', '1', '--shuffle-partitions', '2', '--max-offsets-per-trigger', '5000');
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    await eventually('the monitor', async () => (/Partitions/.test(tmux.capture()) ? true : undefined), MIN, 500);
    await control.setRate(20_000);
    tmux.sendKeys('8');
    await eventually('falling-behind in the advisor view', async () => (/Spark falls behind the input/.test(tmux.capture()) ? true : undefined), 4 * MIN, 1000);
    tmux.kill();
    await control.setRate(5000);
  });

  it('read-parallelism when the topic has fewer partitions than the executors have cores', async () => {
    await control.setPaused(true);
    await control.killJob();
    await recreateTopic({ bootstrap: BROKER, auth: labKafkaAuth() }, 'logs', 1);
    await control.setPaused(false);
    try {
      await submit('--executor-cores', '1', '--total-executor-cores', '2', '--shuffle-partitions', '2');
      const message = await findingShows('read-parallelism', 4 * MIN);
      assert.match(message, /topic partitions 1, executor cores 2/);
    } finally {
      await control.setPaused(true);
      await control.killJob();
      await recreateTopic({ bootstrap: BROKER, auth: labKafkaAuth() }, 'logs', 2);
      await control.setRate(10_000);
      await control.setPaused(false);
      await submit();
      await eventually('2 partitions again', async () => ((await findings()).kafka.partitions.length === 2 ? true : undefined), MIN, 2000);
    }
  });
}
