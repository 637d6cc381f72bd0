import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import sparktop.listener.ProgressServer;
import sparktop.listener.ProgressStore;

/**
 * Feeds a ProgressStore from an events file and serves it on 127.0.0.1 (any free port), for
 * test/cli/jvmListenerContract.test.ts. Prints the port, then serves until stdin closes.
 *
 * Usage: StoreHarness EVENTS_FILE CAPACITY MAX_BYTES SETTINGS_JSON
 * Events file: one line per event, tab-separated: kind (started|progress|terminated), id, runId,
 * name, batchId, payload (progress JSON, or the exception of a terminated run). Fields escape
 * backslash, tab, newline and carriage return as \\ \t \n \r; a field that is only \N is null.
 */
public final class StoreHarness {
    public static void main(String[] args) throws Exception {
        ProgressStore store = new ProgressStore(Integer.parseInt(args[1]), Long.parseLong(args[2]), ProgressStore.MAX_RUNS, args[3]);
        for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            String kind = f[0];
            String id = unescape(f[1]);
            String runId = unescape(f[2]);
            String name = unescape(f[3]);
            String payload = unescape(f[5]);
            if (kind.equals("started")) store.queryStarted(id, runId, name);
            else if (kind.equals("terminated")) store.queryTerminated(id, runId, payload);
            else if (kind.equals("progress")) store.addProgress(id, runId, name, Long.parseLong(f[4]), payload);
            else throw new IllegalArgumentException("unknown event kind: " + kind);
        }
        ProgressServer server = new ProgressServer(store, "127.0.0.1", 0);
        System.out.println(server.port());
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (stdin.readLine() != null) {
            // serve until stdin closes; the server's threads are daemons and would not keep the JVM alive
        }
    }

    private static String unescape(String field) {
        if (field.equals("\\N")) return null;
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char next = field.charAt(++i);
            out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
        }
        return out.toString();
    }
}
