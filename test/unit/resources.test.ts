import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidResource, memoryToMb, parseConf, parseMemory, parseResources, parseTrigger } from '../../src/domain/resources.js';
import { buildSparkSubmit, formatCommandLine } from '../../src/domain/sparkSubmit.js';

describe('resource flags', () => {
  it('keeps the baseline for flags not given', () => {
    const r = parseResources({ totalExecutorCores: '2' });
    assert.deepEqual(r, { executorCores: 1, executorMemory: '1G', totalExecutorCores: 2, conf: {} });
  });

  it('normalises memory and triggers the way spark-submit users write them', () => {
    assert.equal(parseMemory('executor-memory', '4G'), '4g');
    assert.equal(parseMemory('executor-memory', '512mb'), '512m');
    assert.equal(memoryToMb('2g'), 2048);
    assert.equal(parseTrigger('trigger', '10s'), '10 seconds');
    assert.equal(parseTrigger('trigger', '500ms'), '500 milliseconds');
    assert.equal(parseTrigger('trigger', '2 minutes'), '120 seconds');
  });

  for (const [flags, flag, fragment] of [
    [{ executorCores: '0' }, 'executor-cores', 'positive integer'],
    [{ executorCores: '1.5' }, 'executor-cores', 'positive integer'],
    [{ executorMemory: '4' }, 'executor-memory', 'like 512m'],
    [{ executorMemory: 'lots' }, 'executor-memory', 'like 512m'],
    [{ trigger: 'soon' }, 'trigger', 'interval'],
    [{ conf: ['spark.sql.shuffle.partitions'] }, 'conf', 'key=value'],
    [{ conf: ['fs.s3a.key=x'] }, 'conf', 'spark.*'],
    [{ conf: ['spark.x='] }, 'conf', 'empty value'],
    [{ executorCores: '4', totalExecutorCores: '2' }, 'total-executor-cores', 'less than'],
  ] as const) {
    it(`rejects ${JSON.stringify(flags)} naming --${flag}`, () => {
      assert.throws(
        () => parseResources(flags as never),
        (err: unknown) => err instanceof InvalidResource && err.flag === flag && err.message.includes(fragment) && err.message.startsWith(`--${flag}`),
      );
    });
  }

  it('parses repeatable --conf into a map, last one winning', () => {
    assert.deepEqual(parseConf(['spark.a=1', 'spark.b = x=y', 'spark.a=2']), { 'spark.a': '2', 'spark.b': 'x=y' });
  });
});

describe('spark-submit argument array', () => {
  const base = {
    sparkSubmit: '/venv/pyspark/bin/spark-submit',
    master: 'spark://127.0.0.1:7077',
    appFile: '/app/job.py',
    pyFiles: ['/app/listener.py'],
    jars: ['/j/a.jar', '/j/b.jar'],
    appName: 'LogsProcessor',
    jobArgs: { topic: 'logs' },
    labConf: { 'spark.ui.port': '4040', 'spark.sql.shuffle.partitions': '999' },
  };

  it('puts every resource in its flag, the app file last, and user conf over lab conf', () => {
    const plan = buildSparkSubmit({
      ...base,
      resources: parseResources({
        executorCores: '2',
        executorMemory: '2g',
        totalExecutorCores: '4',
        shufflePartitions: '8',
        maxOffsetsPerTrigger: '50000',
        trigger: '5s',
        conf: ['spark.ui.port=4141'],
      }),
    });
    assert.equal(plan.command, '/venv/pyspark/bin/spark-submit');
    assert.deepEqual(plan.args.slice(plan.args.indexOf('/app/job.py')), ['/app/job.py', '--topic', 'logs', '--max-offsets-per-trigger', '50000', '--trigger', '5 seconds']);
    const flagValue = (f: string) => plan.args[plan.args.indexOf(f) + 1];
    assert.equal(flagValue('--executor-cores'), '2');
    assert.equal(flagValue('--executor-memory'), '2g');
    assert.equal(flagValue('--total-executor-cores'), '4');
    assert.equal(flagValue('--jars'), '/j/a.jar,/j/b.jar');
    assert.equal(flagValue('--py-files'), '/app/listener.py');
    const confs = plan.args.filter((_, i) => plan.args[i - 1] === '--conf');
    assert.ok(confs.includes('spark.sql.shuffle.partitions=8'), 'the --shuffle-partitions flag wins over the lab default');
    assert.ok(confs.includes('spark.ui.port=4141'), 'a user --conf wins over the lab conf');
    assert.equal(confs.filter((c) => c.startsWith('spark.ui.port=')).length, 1);
    assert.ok(!plan.args.includes('--num-executors'));
  });

  it('records --num-executors as spark.executor.instances for a standalone master, which spark-submit would drop', () => {
    const confs = (master: string) => {
      const plan = buildSparkSubmit({ ...base, master, resources: parseResources({ executorCores: '1', totalExecutorCores: '2', numExecutors: '4' }) });
      assert.equal(plan.args[plan.args.indexOf('--num-executors') + 1], '4');
      return plan.args.filter((_, i) => plan.args[i - 1] === '--conf');
    };
    assert.ok(confs('spark://127.0.0.1:7077').includes('spark.executor.instances=4'));
    assert.ok(!confs('yarn').some((c) => c.startsWith('spark.executor.instances=')), 'YARN reads --num-executors itself');
  });

  it('formats a copy-pasteable command line, quoting only what needs it', () => {
    const plan = buildSparkSubmit({ ...base, resources: parseResources({ conf: ['spark.executor.extraJavaOptions=-Dx=1 -Dy=2'] }) });
    const line = formatCommandLine(plan);
    assert.ok(line.startsWith('/venv/pyspark/bin/spark-submit --master spark://127.0.0.1:7077'));
    assert.ok(line.includes(`--conf 'spark.executor.extraJavaOptions=-Dx=1 -Dy=2'`));
    assert.ok(line.endsWith(' /app/job.py --topic logs'));
  });
});
