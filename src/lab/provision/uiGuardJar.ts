import path from 'node:path';
import { SPARK_APPS_DIR } from '../paths.js';
import { ensureJavaJar, type BuiltJar, type JavaJarSpec } from './javaJar.js';

/** The filter on the lab master's UI (spark-apps/ui-guard/): changes need the owner's token. */
export const UI_GUARD_CLASS = 'sparktop.uiguard.OwnerOnlyChanges';
export const UI_GUARD_HEADER = 'X-Sparktop-Token';

const UI_GUARD_JAR: JavaJarSpec = {
  what: "the lab master UI's guard",
  sourceDir: path.join(SPARK_APPS_DIR, 'ui-guard'),
  // Jakarta Servlet 5 (Spark 4's Jetty 11), and Spark 4 runs on Java 17.
  release: '17',
  jarName: 'sparktop-ui-guard.jar',
  cacheFolder: 'ui-guard',
};

export function ensureUiGuardJar(cacheDir: string, sparkHome: string, log: (line: string) => void): Promise<BuiltJar> {
  return ensureJavaJar(UI_GUARD_JAR, cacheDir, sparkHome, log);
}
