/**
 * The Docker lab's commands as argument arrays (never shell strings), and the parsing of what
 * `docker compose ps --format json` prints. Pure: dockerLab.ts runs them.
 */
import path from 'node:path';
import { PACKAGE_ROOT } from '../lab/paths.js';
import { SPARK_KAFKA_CONNECTOR } from '../lab/versions.js';
import type { QueryName } from '../lab/labConfig.js';
import { APP_NAME, querySettings } from '../lab/sparkJob.js';
import { listenerConf } from '../lab/provision/listenerJar.js';
import type { JobResources } from '../domain/resources.js';
import { buildSparkSubmit, type SubmitPlan } from '../domain/sparkSubmit.js';

/** Names fixed by docker/docker-compose.yaml and docker/load-generator/docker-compose.yaml (checked by the tests). */
export interface DockerLabSettings {
  /** Compose project of the lab (Kafka, Spark): the `name:` of docker/docker-compose.yaml. */
  labProject: string;
  generatorsFile: string;
  generatorsProject: string;
  clientContainer: string;
}

export const DOCKER_LAB: DockerLabSettings = {
  labProject: 'sparktop',
  generatorsFile: path.join(PACKAGE_ROOT, 'docker', 'load-generator', 'docker-compose.yaml'),
  generatorsProject: 'sparktop-generators',
  clientContainer: 'spark-client',
};

export const GENERATOR_SERVICE = 'generator';
/** Label on each generator container carrying its TARGET_RPS, so the rate can be read back from `ps`. */
export const RATE_LABEL = 'sparktop.target-rps';
/** Services of the lab whose running containers mean "a Docker lab is up". */
export const LAB_SERVICES = ['kafka', 'spark-master'] as const;

/** Inside the containers (the spark image and the lab's mounts). */
export const IN_CONTAINER = {
  sparkSubmit: '/opt/spark/bin/spark-submit',
  master: 'spark://spark-master:7077',
  sparkApps: '/opt/spark-apps',
  kafka: 'kafka:9092',
  /** The spark-work volume, shared by spark-client (driver) and the workers (executors' state). */
  workDir: '/opt/spark/work-dir',
  /** Ports inside spark-client; the compose file publishes them (on the same numbers by default). */
  driverUiPort: 4040,
  listenerPort: 4090,
  /** sparktop's progress listener, built into the Spark image (docker/spark/Dockerfile). */
  listenerJar: '/opt/sparktop/sparktop-listener.jar',
  ivyCache: '/opt/ivy2',
} as const;

export const KAFKA_CONNECTOR_PACKAGE = `${SPARK_KAFKA_CONNECTOR.groupId}:${SPARK_KAFKA_CONNECTOR.artifactId}:${SPARK_KAFKA_CONNECTOR.version}`;
export const JOB_FILE_NAME = 'spark_structured_streaming_logs_processing.py';

/** One docker invocation: its arguments, and variables added to the environment of the docker process. */
export interface DockerCall {
  args: string[];
  env: Record<string, string>;
  /** The answer is stdout and stderr together (`docker logs` prints the container's stderr on its own). */
  mergeStderr?: boolean;
}

const generatorsCompose = (s: DockerLabSettings, ...rest: string[]): string[] => ['compose', '-f', s.generatorsFile, '-p', s.generatorsProject, ...rest];

/** Adds or removes generator containers; the running ones are left as they are. */
export function scaleGeneratorsCall(s: DockerLabSettings, count: number, ratePerGenerator: number): DockerCall {
  return {
    args: generatorsCompose(s, 'up', '-d', '--scale', `${GENERATOR_SERVICE}=${count}`, '--no-recreate'),
    env: { TARGET_RPS: String(ratePerGenerator) },
  };
}

/** A container's environment is fixed at creation: a new rate means new containers. */
export function setRateCall(s: DockerLabSettings, count: number, ratePerGenerator: number): DockerCall {
  return {
    args: generatorsCompose(s, 'up', '-d', '--scale', `${GENERATOR_SERVICE}=${count}`, '--force-recreate'),
    env: { TARGET_RPS: String(ratePerGenerator) },
  };
}

export function pauseGeneratorsCall(s: DockerLabSettings, paused: boolean): DockerCall {
  return { args: generatorsCompose(s, paused ? 'pause' : 'unpause', GENERATOR_SERVICE), env: {} };
}

export function generatorsPsCall(s: DockerLabSettings): DockerCall {
  return { args: generatorsCompose(s, 'ps', '--all', '--format', 'json', GENERATOR_SERVICE), env: {} };
}

export function labPsCall(s: DockerLabSettings): DockerCall {
  return { args: ['compose', '-p', s.labProject, 'ps', '--format', 'json'], env: {} };
}

/** The lab's containers, stopped ones included (to say which service is down). */
export function labPsAllCall(s: DockerLabSettings): DockerCall {
  return { args: ['compose', '-p', s.labProject, 'ps', '--all', '--format', 'json'], env: {} };
}

/** The last lines a container wrote, stdout and stderr. */
export function logsCall(container: string, lines: number): DockerCall {
  return { args: ['logs', '--tail', String(lines), container], env: {}, mergeStderr: true };
}

/** Spark properties every submission in the Docker lab gets (user --conf wins). */
export function dockerSparkConf(): Record<string, string> {
  return {
    'spark.ui.port': String(IN_CONTAINER.driverUiPort),
    // Ivy's cache in the image, where the Kafka connector already is (docker/spark/Dockerfile).
    'spark.jars.ivy': IN_CONTAINER.ivyCache,
    'spark.sql.streaming.metricsEnabled': 'true',
    'spark.ui.prometheus.enabled': 'true',
    'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
  };
}

export interface DockerSubmission {
  resources: JobResources;
  query: QueryName;
  checkpointDir: string;
}

export const dockerCheckpointDir = (name: string): string => `${IN_CONTAINER.workDir}/checkpoints/${name}`;

/**
 * spark-submit as it runs inside spark-client: the classroom's --packages connector, the progress
 * listener attached by configuration from the image's jar (as `sparktop attach` attaches it to any
 * job), the job's options after the app file.
 */
export function planDockerSubmission(d: DockerSubmission): SubmitPlan {
  return buildSparkSubmit({
    sparkSubmit: IN_CONTAINER.sparkSubmit,
    master: IN_CONTAINER.master,
    appFile: `${IN_CONTAINER.sparkApps}/${JOB_FILE_NAME}`,
    pyFiles: [],
    jars: [IN_CONTAINER.listenerJar],
    packages: [KAFKA_CONNECTOR_PACKAGE],
    resources: d.resources,
    appName: APP_NAME,
    jobArgs: {
      'bootstrap-servers': IN_CONTAINER.kafka,
      topic: 'logs',
      'checkpoint-location': d.checkpointDir,
      'starting-offsets': 'latest',
      query: d.query,
      listener: 'off',
    },
    // All interfaces: the port is published from the container, not reached on its loopback.
    labConf: { ...dockerSparkConf(), ...listenerConf({ host: '0.0.0.0', port: IN_CONTAINER.listenerPort, settings: querySettings(d.resources) }) },
  });
}

/** `docker exec -d spark-client spark-submit …`: detached, so the driver outlives sparktop. */
export function submitCall(s: DockerLabSettings, plan: SubmitPlan): DockerCall {
  return { args: ['exec', '-d', s.clientContainer, plan.command, ...plan.args], env: plan.env };
}

export interface ComposeContainer {
  name: string;
  service: string;
  /** running, paused, exited, created, restarting, … */
  state: string;
  /** healthy, unhealthy, starting; '' without a health check. */
  health: string;
  labels: Record<string, string>;
}

function parseLabels(raw: unknown): Record<string, string> {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  if (typeof raw !== 'string' || raw === '') return {};
  const labels: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

function toContainer(o: unknown): ComposeContainer | null {
  if (!o || typeof o !== 'object') return null;
  const r = o as Record<string, unknown>;
  if (typeof r.Service !== 'string') return null;
  return {
    name: typeof r.Name === 'string' ? r.Name : '',
    service: r.Service,
    state: typeof r.State === 'string' ? r.State.toLowerCase() : 'unknown',
    health: typeof r.Health === 'string' ? r.Health.toLowerCase() : '',
    labels: parseLabels(r.Labels),
  };
}

/**
 * `docker compose ps --format json`: Compose before 2.21 prints one JSON array, later versions one
 * object per line; an empty project prints nothing (or `[]`).
 */
export function parseComposePs(stdout: string): ComposeContainer[] {
  const text = stdout.trim();
  if (text === '') return [];
  const items: unknown[] = text.startsWith('[')
    ? (JSON.parse(text) as unknown[])
    : text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown);
  return items.map(toContainer).filter((c): c is ComposeContainer => c !== null);
}

export const isUp = (c: ComposeContainer): boolean => c.state === 'running' || c.state === 'paused';

/** The long-running services `r` needs (topic-init runs once and exits). */
export const SERVICES_FOR_A_JOB = ['kafka', 'spark-master', 'spark-worker', 'spark-client'] as const;

/** The lab's containers a job cannot run without: not running, or running but unhealthy. */
export function servicesDown(containers: ComposeContainer[]): ComposeContainer[] {
  return containers.filter((c) => (SERVICES_FOR_A_JOB as readonly string[]).includes(c.service) && (c.state !== 'running' || c.health === 'unhealthy'));
}
