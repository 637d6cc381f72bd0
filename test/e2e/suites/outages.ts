/**
 * Outages of the Spark master, the progress listener and the input topic, with the monitor running
 * in tmux at 120×40 (issue #9). Each test leaves the lab as the next ones expect it: every
 * component up, the logs topic with 2 partitions, the job running and completing batches.
 *
 * Bounds: 15 s for the monitor to show an outage, 60 s to show the component back (the worker's
 * re-registration and new batches get more: they depend on Spark, not on sparktop).
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { eventually, runCli } from '../helpers.js';
import {
  ensureJobRunning,
  generatorsPaused,
  killHard,
  labPid,
  lastBatchOnScreen,
  LISTENER,
  logEndOffsets,
  masterJson,
  masterShownDown,
  masterShownUp,
  newBatchWithRows,
  panelText,
  partitionRows,
  recreateTopic,
  setGeneratorsPaused,
  statusJson,
  topicPartitions,
  UNREACHABLE,
} from '../labProbe.js';
import { startTcpForwarder, type TcpForwarder } from '../tcpForwarder.js';
import { TmuxSession } from '../tmux.js';

const MIN = 60_000;
const say = (line: string) => process.stdout.write(`# ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Waits until the Kafka log-end offsets on screen moved past the ones read now (the Partitions panel keeps updating). */
async function kafkaKeepsUpdating(tmux: TmuxSession): Promise<void> {
  const before = logEndOffsets(tmux.lines());
  assert.equal(before.length >= 2, true, `log-end offsets on screen:\n${tmux.capture()}`);
  await eventually(
    'the Kafka log-end offsets on screen still moving',
    async () => {
      const now = logEndOffsets(tmux.lines());
      return now.length === before.length && now.some((o, i) => o > before[i]!) ? true : undefined;
    },
    20_000,
    500,
  );
  assert.doesNotMatch(panelText(tmux.lines(), 'Partitions'), UNREACHABLE, 'Kafka is still read');
}

/**
 * Runs `restore` after the test body whatever happened; a failure to restore fails a test that
 * passed, and is only reported for one that already failed (its own error says more).
 */
async function withRestore(body: () => Promise<void>, restore: () => Promise<void>): Promise<void> {
  let passed = false;
  try {
    await body();
    passed = true;
  } finally {
    try {
      await restore();
    } catch (err) {
      if (passed) throw err;
      say(`could not restore the lab after the failure: ${(err as Error).message}`);
    }
  }
}

export function outagesSuite(): void {
  const sessions: TmuxSession[] = [];
  const forwarders: TcpForwarder[] = [];
  after(async () => {
    sessions.forEach((s) => s.kill());
    await Promise.all(forwarders.map((f) => f.close()));
  });

  it('says the Spark master is unreachable after kill -9, keeps Kafka updating, and shows it again after `lab up`', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    await withRestore(
      async () => {
        const coresTotal = (await masterJson()).cores;
        assert.ok(coresTotal > 0, 'the master reports its workers\' cores');
        await eventually('the master read (its dot OK in the header)', async () => (masterShownUp(tmux.lines()) ? true : undefined), MIN, 250);
        await eventually('2 partition rows', async () => (partitionRows(tmux.lines()).length === 2 ? true : undefined), MIN, 250);

        const killedAt = Date.now();
        killHard(await labPid('spark-master'));
        await eventually('"master unreachable since HH:MM:SS" in the header', async () => (masterShownDown(tmux.lines()) ? true : undefined), 15_000, 250);
        say(`master down on screen ${seconds(Date.now() - killedAt)} after kill -9`);
        await kafkaKeepsUpdating(tmux);
        assert.ok(tmux.alive(), 'sparktop is still running');
        const without = await runCli(['lab', 'status', '--json'], { timeoutMs: MIN });
        assert.equal(without.code, 1, 'lab status says the lab is not whole');
        const job = (JSON.parse(without.stdout) as { components: Array<{ name: string; up: boolean; serving?: boolean; detail?: string }> }).components.find((c) => c.name === 'spark-app')!;
        assert.equal(job.up, true, 'the driver process lives on');
        assert.equal(job.serving, false, 'but the job is not whole without its master');
        assert.match(job.detail ?? '', /master does not answer/);

        const up = await runCli(['lab', 'up'], { timeoutMs: 5 * MIN });
        assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`);
        assert.match(up.stdout, /starting spark-master/, 'lab up starts the dead component');
        assert.doesNotMatch(up.stdout, /starting kafka|The local lab is already up/);
        // A standalone master started again knows no running application: the job is submitted again.
        assert.match(up.stdout, /spark-app lost its master: the master does not run app-\S+: submitting it again/);
        await eventually('lab status: every component up and serving', async () => ((await runCli(['lab', 'status', '--json'], { timeoutMs: MIN })).code === 0 ? true : undefined), 3 * MIN, 2000);
        const upAt = Date.now();
        await eventually('the master back in the header (no outage, its dot OK)', async () => (masterShownUp(tmux.lines()) ? true : undefined), 60_000, 250);
        say(`master back on screen ${seconds(Date.now() - upAt)} after lab up returned`);
        // The worker retries its registration by itself (every 5–15 s at first, then every minute).
        await eventually(`the worker registered again (${coresTotal} cores in the master)`, async () => ((await masterJson()).cores === coresTotal ? true : undefined), 2 * MIN, 500);
        say(`worker registered again ${seconds(Date.now() - upAt)} after lab up returned`);
        const cores = new RegExp(`cores \\d+/${coresTotal}\\b`);
        await eventually('the master\'s cores in the header', async () => (cores.test(tmux.lines()[1] ?? '') ? true : undefined), 30_000, 500).catch(() =>
          say(`the header does not show the master's cores (left out when the line is full): ${tmux.lines()[1]}`),
        );
        assert.ok(tmux.alive(), 'sparktop is still running');
      },
      async () => {
        tmux.kill();
        // A restarted master does not know the running app, and has the worker kill its executors
        // once the worker re-registers: the driver lives on without executors. Resubmit then.
        const resubmitted = await ensureJobRunning((l) => process.stdout.write(`${l}\n`));
        say(resubmitted ? 'the job was resubmitted after the master restart' : 'the job kept running across the master restart');
      },
    );
  });

  it('says the progress listener is unreachable when its endpoint refuses connections, keeps the other panels updating, and shows new batches when it is back', async () => {
    const fwd = await startTcpForwarder(LISTENER);
    forwarders.push(fwd);
    const tmux = new TmuxSession(120, 40, ['--progress-url', fwd.url]);
    sessions.push(tmux);
    try {
      await eventually(
        'batches read through the forwarder, every source up',
        async () => {
          const lines = tmux.lines();
          return lastBatchOnScreen(panelText(lines, 'Batches')) !== null && logEndOffsets(lines).length === 2 && !UNREACHABLE.test(lines.join('\n')) ? true : undefined;
        },
        3 * MIN,
        500,
      );
      assert.ok(fwd.connections > 0, 'sparktop reads the listener through the forwarder');

      const closedAt = Date.now();
      await fwd.close();
      const notice = await eventually(
        '"progress unreachable since HH:MM:SS (reason)" in the Batches panel',
        async () => {
          const batches = panelText(tmux.lines(), 'Batches');
          return /progress unreachable since \d\d:\d\d:\d\d \(\w/.test(batches) ? batches : undefined;
        },
        15_000,
        250,
      );
      say(`listener down on screen ${seconds(Date.now() - closedAt)} after its endpoint closed`);
      assert.match(notice, /\((connection refused|connection reset)/, 'the reason is the refused connection');
      await kafkaKeepsUpdating(tmux);
      const screen = tmux.capture();
      assert.doesNotMatch(screen, /spark driver unreachable|master unreachable/, 'the driver and the master are still read');
      assert.match(panelText(tmux.lines(), 'Executors'), /^[│|]\s?(driver|\d+)\s+\d/m, 'the Executors panel still lists executors');
      assert.ok(tmux.alive(), 'sparktop is still running');

      // Without the listener, batches are derived from the driver's jobs: the id may still move. Back
      // means the notice is gone (only a listener answer clears it) and a newer batch is shown.
      const seen = lastBatchOnScreen(panelText(tmux.lines(), 'Batches')) ?? -1;
      await fwd.reopen();
      const reopenedAt = Date.now();
      await eventually('the listener read again: no outage notice', async () => (/progress unreachable/.test(tmux.capture()) ? undefined : true), 60_000, 250);
      say(`listener back on screen ${seconds(Date.now() - reopenedAt)} after its endpoint reopened`);
      await eventually(
        `a batch newer than #${seen}`,
        async () => {
          const b = lastBatchOnScreen(panelText(tmux.lines(), 'Batches'));
          return b !== null && b > seen && !/progress unreachable/.test(tmux.capture()) ? b : undefined;
        },
        3 * MIN,
        500,
      );
      assert.ok(tmux.alive(), 'sparktop is still running');
    } finally {
      tmux.kill();
      await fwd.close();
    }
  });

  it('follows the topic logs deleted and recreated with 3 partitions (offsets from 0), then puts back 2 partitions and resubmits the job', async () => {
    const tmux = new TmuxSession(120, 40);
    sessions.push(tmux);
    assert.equal(generatorsPaused(), false, 'the generators produce when the test starts');
    await withRestore(
      async () => {
        await eventually('the 2 partitions of logs on screen', async () => (partitionRows(tmux.lines()).join() === '0,1' ? true : undefined), MIN, 250);
        // Paused, the generators send nothing to a missing topic, and nothing lands in the old one
        // between the reads below.
        await setGeneratorsPaused(true);
        const t0 = Date.now();
        await recreateTopic(3);
        say(`logs deleted and created with 3 partitions in ${seconds(Date.now() - t0)}`);
        await setGeneratorsPaused(false);

        const recreatedAt = Date.now();
        await eventually(
          '3 partition rows, Kafka read again',
          async () => {
            const lines = tmux.lines();
            return partitionRows(lines).join() === '0,1,2' && !UNREACHABLE.test(panelText(lines, 'Partitions')) ? true : undefined;
          },
          60_000,
          500,
        );
        say(`3 partitions on screen ${seconds(Date.now() - recreatedAt)} after the topic was created`);
        assert.ok(tmux.alive(), 'sparktop is still running');

        // status --json is a fresh monitor that never saw the old topic: it drops Spark's old offsets
        // once a Kafka read 5 s after their commit shows a lower log end (the old driver, if it still
        // answers, last committed before the deletion).
        let last = '';
        const status = await eventually(
          'status --json with the 3 partitions and no offset of the old topic',
          async () => {
            const s = await statusJson();
            last = JSON.stringify(s.kafka.partitions);
            const consistent = s.kafka.partitions.every((p) => p.sparkOffset === null || p.logEndOffset === null || p.sparkOffset <= p.logEndOffset);
            return s.kafka.partitions.length === 3 && consistent ? s : undefined;
          },
          30_000,
          1000,
        ).catch((err: Error) => assert.fail(`${err.message}; last partitions: ${last}`));
        assert.deepEqual(status.kafka.partitions.map((p) => p.partition), [0, 1, 2], 'status --json lists the 3 partitions');
        for (const p of status.kafka.partitions) assert.ok(p.lag === null || p.lag >= 0, `partition ${p.partition}: lag ${p.lag}`);
        tmux.sendKeys('6');
        await eventually('the recreation in the events view', async () => (/Kafka topic logs was recreated/.test(tmux.capture()) ? true : undefined), 30_000, 500);
        tmux.sendKeys('1');
      },
      async () => {
        // Put the lab back: logs with 2 partitions (as `lab up` creates it), the generators producing,
        // and the job resubmitted: its checkpoint holds offsets of the deleted topic (with
        // failOnDataLoss=true, the lab's setting, the query failed when the topic went away).
        try {
          await setGeneratorsPaused(true);
          if ((await topicPartitions()) !== 2) await recreateTopic(2);
        } finally {
          await setGeneratorsPaused(false);
        }
        const r = await runCli(['submit'], { timeoutMs: 15 * MIN });
        assert.equal(r.code, 0, `sparktop submit:\n${r.stdout}\n${r.stderr}`);
        await newBatchWithRows(5 * MIN);
      },
    );
    try {
      // The monitor follows the lab back: 2 partitions, Spark's offsets and lag known again.
      tmux.sendKeys('1');
      await eventually('the 2 partitions of logs on screen again', async () => (partitionRows(tmux.lines()).join() === '0,1' ? true : undefined), 60_000, 500);
      const status = await eventually(
        'status --json with Spark offsets and lag on both partitions',
        async () => {
          const s = await statusJson();
          return s.kafka.partitions.length === 2 && s.kafka.partitions.every((p) => p.sparkOffset !== null && p.lag !== null && p.lag >= 0) ? s : undefined;
        },
        2 * MIN,
        2000,
      );
      assert.ok(status.spark.batch !== null, 'a batch in status --json');
      assert.ok(tmux.alive(), 'sparktop is still running');
    } finally {
      tmux.kill();
    }
  });
}
