/**
 * `sparktop attach` as a user runs it: the options to paste, the JSON form, and bad input. Needs the
 * provisioned pyspark (the jar is compiled against its jars); skipped with the reason otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultCacheDir, labPaths } from '../../src/lab/paths.js';
import { readPythonEnv } from '../../src/lab/provision/pythonEnv.js';
import { runCli } from '../e2e/helpers.js';

const MIN = 60_000;
const provisioned = readPythonEnv(labPaths(defaultCacheDir()).venvDir) !== null;
const skip = provisioned ? false : 'pyspark is not provisioned (sparktop lab provision)';

describe('sparktop attach', { skip }, () => {
  it('prints the spark-submit options to paste, one pair per line, and how to watch', async () => {
    const r = await runCli(['attach'], { timeoutMs: 5 * MIN });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}--jars \/\S+\/sparktop-listener\.jar \\$/m);
    assert.match(r.stdout, /^ {2}--conf spark\.sql\.streaming\.streamingQueryListeners=sparktop\.listener\.SparktopProgressListener \\$/m);
    assert.match(r.stdout, /^ {2}--conf spark\.sparktop\.listener\.port=4090$/m);
    assert.match(r.stdout, /sparktop --progress-url http:\/\/127\.0\.0\.1:4090/);
  });

  it('--json: {"args": […]} with the same options, another port on request', async () => {
    const r = await runCli(['attach', '--json', '--listener-port', '4091'], { timeoutMs: 5 * MIN });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { args: string[]; progressUrl: string };
    assert.equal(out.args[0], '--jars');
    assert.ok(out.args.includes('spark.sparktop.listener.port=4091'));
    assert.equal(out.progressUrl, 'http://127.0.0.1:4091');
  });

  it('refuses a bad port or host with a usage error naming the flag', async () => {
    const port = await runCli(['attach', '--listener-port', '70000'], { timeoutMs: MIN });
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--listener-port: expected a TCP port/);
    const host = await runCli(['attach', '--listener-host', 'a b;rm'], { timeoutMs: MIN });
    assert.equal(host.code, 2);
    assert.match(host.stderr, /--listener-host: expected a host name or address/);
    const flag = await runCli(['attach', '--topic', 'x'], { timeoutMs: MIN });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--topic does not apply to `sparktop attach`/);
  });
});
