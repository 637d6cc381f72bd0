/** Where `sparktop attach --docker` puts the listener jar: a host folder the container mounts, else a copy. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyIntoCall, inspectMountsCall, jarPlacement, parseMounts, type ContainerMount } from '../../src/control/dockerAttach.js';

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
    assert.deepEqual(inspectMountsCall('spark-client').args, ['inspect', '--format', '{{json .Mounts}}', 'spark-client']);
    assert.deepEqual(copyIntoCall('spark-client', '/c/l.jar', '/tmp/l.jar').args, ['cp', '/c/l.jar', 'spark-client:/tmp/l.jar']);
  });

  it('says what docker printed when it is not the mounts list', () => {
    assert.throws(() => parseMounts('Error: No such object: spark-client'), /docker inspect printed no JSON: Error: No such object/);
    assert.throws(() => parseMounts('{"a":1}'), /not a list/);
    assert.deepEqual(parseMounts('null\n'), []);
  });
});
