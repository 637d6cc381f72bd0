package sparktop.listener;

import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import scala.Option;

/**
 * Serves the driver's Structured Streaming progress over HTTP, the contract of
 * spark-apps/sparktop_listener.py, with spark-submit options only:
 * <pre>
 *   --jars sparktop-listener.jar
 *   --conf spark.sql.streaming.streamingQueryListeners=sparktop.listener.SparktopProgressListener
 * </pre>
 * Confs: {@code spark.sparktop.listener.host} (127.0.0.1), {@code .port} (4090; 0 = any free port),
 * {@code .capacity} (2000 events), {@code .maxBytes} (64 MiB of progress JSON); served as
 * {@code settings}: {@code spark.sparktop.trigger}, {@code spark.sparktop.maxOffsetsPerTrigger},
 * {@code spark.sparktop.minPartitions}.
 *
 * <p>Spark constructs the listener in every SparkSession; all instances share one store and one
 * server per JVM. Nothing here ever fails the job: a port already taken is reported on stderr and
 * the job runs on without the endpoint; an error in a callback is logged (the first few) and
 * swallowed. Only callbacks Spark 3.5 also has are implemented (onQueryIdle keeps its default).
 */
public class SparktopProgressListener extends StreamingQueryListener {
    private static final int ERRORS_LOGGED = 5;
    private static final AtomicInteger errors = new AtomicInteger();

    private static ProgressStore sharedStore;
    private static ProgressServer sharedServer;

    private final ProgressStore store;

    public SparktopProgressListener(SparkConf conf) {
        ProgressStore s = null;
        try {
            s = sharedStore(conf);
        } catch (Throwable t) {
            failed("starting", t);
        }
        store = s;
    }

    public SparktopProgressListener() {
        this(SparkEnv.get() != null ? SparkEnv.get().conf() : new SparkConf());
    }

    private static synchronized ProgressStore sharedStore(SparkConf conf) {
        if (sharedStore != null) return sharedStore;
        ListenerConfig config = new ListenerConfig(key -> conf.contains(key) ? conf.get(key) : null);
        sharedStore = new ProgressStore(config.capacity, config.maxBytes, ProgressStore.MAX_RUNS, config.settingsJson);
        sharedServer = serve(sharedStore, config);
        return sharedStore;
    }

    private static ProgressServer serve(ProgressStore store, ListenerConfig config) {
        String where = config.host + ":" + config.port;
        try {
            ProgressServer server = new ProgressServer(store, config.host, config.port);
            Log.line("serving streaming progress at " + server.url() + "/progress (ring of " + config.capacity + " events)");
            return server;
        } catch (BindException e) {
            Log.line("cannot listen on " + where + " (" + e.getMessage() + "); progress endpoint DISABLED, the Spark job keeps "
                + "running without it (free the port or choose another with " + ListenerConfig.PORT + ")");
        } catch (IOException | RuntimeException e) {
            Log.line("cannot serve on " + where + " (" + e + "); progress endpoint DISABLED, the Spark job keeps running without it");
        }
        return null;
    }

    /** The server's URL, or null when it is not serving (for tests and embedding applications). */
    public static synchronized String url() {
        return sharedServer == null ? null : sharedServer.url();
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        long cpu = ListenerCost.start();
        try {
            if (store != null) store.queryStarted(event.id().toString(), event.runId().toString(), event.name());
        } catch (Throwable t) {
            failed("onQueryStarted", t);
        } finally {
            ListenerCost.callbackDone(cpu);
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        long cpu = ListenerCost.start();
        try {
            if (store == null) return;
            org.apache.spark.sql.streaming.StreamingQueryProgress p = event.progress();
            store.addProgress(p.id().toString(), p.runId().toString(), p.name(), p.batchId(), p.json());
        } catch (Throwable t) {
            failed("onQueryProgress", t);
        } finally {
            ListenerCost.callbackDone(cpu);
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        long cpu = ListenerCost.start();
        try {
            if (store == null) return;
            Option<String> exception = event.exception();
            store.queryTerminated(event.id().toString(), event.runId().toString(), exception.isDefined() ? exception.get() : null);
        } catch (Throwable t) {
            failed("onQueryTerminated", t);
        } finally {
            ListenerCost.callbackDone(cpu);
        }
    }

    private static void failed(String where, Throwable t) {
        if (errors.incrementAndGet() <= ERRORS_LOGGED) {
            Log.line("error in " + where + " (ignored, the query keeps running): " + t);
        }
    }
}
