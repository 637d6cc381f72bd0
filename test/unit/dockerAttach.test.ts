/** Where `sparktop attach --docker` puts the listener jar: a host folder the container mounts, else a copy. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachFailureMessage, copyIntoCall, inspectMountsCall, jarPlacement, parseMounts, type ContainerMount } from '../../src/control/dockerAttach.js';

const bind = (source: string, destination: string): ContainerMount => ({ type: 'bind', source, destination });

describe('attach --docker: the jar\'s place', () => {
  it('goes under the shortest writable bind mount, named the same inside', () => {
    const mounts = [bind('/home/me/lab/apps', '/opt/spark-apps'), { type: 'volume', source: '/var/lib/docker/volumes/x/_data', destination: '/data' }, bind('/home/me/lab', '/lab')];
    const p = jarPlacement(mounts, 'sparktop-listener.jar', () => true);
    assert.deepEqual(p, { kind: 'mount', mount: mounts[2], hostPath: '/home/me/lab/sparktop-listener.jar', containerPath: '/lab/sparktop-listener.jar' });
  });

  it('is copied into the container when no bind mount can be written (named volumes are Docker\'s)', () => {
    const mounts = [bind('/etc/readonly', '/etc/x'), { type: 'volume', source: '/var/lib/docker/volumes/x/_data', destination: '/data' }];
    assert.deepEqual(jarPlacement(mounts, 'sparktop-listener.jar', (dir) => dir !== '/etc/readonly'), { kind: 'copy', containerPath: '/tmp/sparktop-listener.jar' });
    assert.deepEqual(jarPlacement([], 'j.jar', () => true), { kind: 'copy', containerPath: '/tmp/j.jar' });
  });

  it('runs docker with argument arrays', () => {
    assert.deepEqual(inspectMountsCall('spark-client').args, ['container', 'inspect', '--format', '{{json .Mounts}}', 'spark-client']);
    assert.deepEqual(copyIntoCall('spark-client', '/c/l.jar', '/tmp/l.jar').args, ['cp', '/c/l.jar', 'spark-client:/tmp/l.jar']);
  });

  it('says what docker printed when it is not the mounts list', () => {
    assert.throws(() => parseMounts('Error: No such object: spark-client'), /docker inspect printed no JSON: Error: No such object/);
    assert.throws(() => parseMounts('{"a":1}'), /not a list/);
    assert.deepEqual(parseMounts('null\n'), []);
  });

  it('names the container when docker fails: none of that name, an engine that does not answer, no docker, anything else', () => {
    // What docker 20.10 and 28 print (test/e2e/dockerAttach.test.ts gets them from a real engine).
    assert.equal(
      attachFailureMessage('spark-client', 'exit', 'Error response from daemon: No such container: spark-client', 'unix:///d/docker.sock'),
      'no container named "spark-client" on the Docker engine at unix:///d/docker.sock (`docker ps -a` lists them; docker said: Error response from daemon: No such container: spark-client)',
    );
    assert.match(attachFailureMessage('c', 'exit', 'Error: No such object: c'), /^no container named "c" on the Docker engine \(/);
    const down = 'Cannot connect to the Docker daemon at unix:///d/docker.sock. Is the docker daemon running?';
    assert.equal(attachFailureMessage('c', 'exit', down), `the Docker engine does not answer, so the listener jar cannot be put into container "c" (docker said: ${down})`);
    assert.equal(
      attachFailureMessage('c', 'timeout', 'no answer within 30 s', 'tcp://h:2375'),
      'the Docker engine at tcp://h:2375 does not answer, so the listener jar cannot be put into container "c" (no answer within 30 s)',
    );
    assert.equal(
      attachFailureMessage('c', 'no-cli', 'the docker CLI is not installed (no `docker` on PATH)'),
      'the docker CLI is not installed (no `docker` on PATH), so the listener jar cannot be put into container "c"',
    );
    assert.equal(
      attachFailureMessage('c', 'exit', 'Error response from daemon: container rootfs is marked read-only'),
      'could not put the listener jar into container "c": docker said: Error response from daemon: container rootfs is marked read-only',
    );
  });
});
