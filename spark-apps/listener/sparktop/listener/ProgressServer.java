package sparktop.listener;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link ProgressStore} read-only over HTTP with the JDK's HttpServer: the same paths,
 * status codes, headers and error bodies as ProgressServer in spark-apps/sparktop_listener.py.
 * Every thread it starts is a daemon: it never keeps a finished job's JVM alive.
 */
public final class ProgressServer {
    private static final int HANDLER_THREADS = 2;
    private static final String NOT_FOUND_HINT = "; endpoints: GET /progress?since=<batchId>, GET /health";

    private final ProgressStore store;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final String host;
    private final int port;

    /** Binds host:port (0 = any free port) and starts serving; throws IOException (e.g. BindException) before starting anything. */
    public ProgressServer(ProgressStore store, String host, int port) throws IOException {
        this.store = store;
        this.host = host;
        this.http = HttpServer.create(new InetSocketAddress(host, port), 0);
        this.port = http.getAddress().getPort();
        this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads("sparktop-listener-http-" + this.port));
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        startFromDaemonThread();
    }

    /**
     * HttpServer.start() creates its "HTTP-Dispatcher" thread without setting its daemon flag, so
     * the thread inherits it from the caller: started from a Spark thread (not a daemon), it would
     * keep the driver JVM alive after the job ends.
     */
    private void startFromDaemonThread() throws IOException {
        final Throwable[] failure = new Throwable[1];
        Thread starter = new Thread(() -> {
            try {
                http.start();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "sparktop-listener-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            handlers.shutdownNow();
            http.stop(0);
            throw new IOException("cannot start the HTTP server: " + failure[0], failure[0]);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public void close() {
        http.stop(0);
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, Json.error("method " + exchange.getRequestMethod() + " not allowed; this endpoint is read-only (GET)"));
                return;
            }
            Target target = Target.of(exchange.getRequestURI());
            String path = stripTrailingSlashes(target.path);
            if (path.equals("/health")) {
                send(exchange, 200, "{\"ok\":true}");
            } else if (path.equals("/cost")) {
                send(exchange, 200, ListenerCost.json());
            } else if (path.equals("/progress")) {
                ProgressParams params;
                try {
                    params = ProgressParams.parse(target.query);
                } catch (ProgressParams.BadRequest err) {
                    send(exchange, 400, Json.error(err.getMessage()));
                    return;
                }
                send(exchange, 200, store.snapshotJson(params.since, params.runId));
            } else {
                send(exchange, 404, Json.error("not found: " + target.path + NOT_FOUND_HINT));
            }
        } catch (IOException err) {
            // the client went away
        } catch (Throwable err) {
            try {
                send(exchange, 500, Json.error("internal error: " + err));
            } catch (Throwable ignored) {
                // nothing sensible left to do
            }
        } finally {
            exchange.close();
        }
    }

    private static String stripTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') end--;
        return end == 0 ? "/" : path.substring(0, end);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        drain(exchange.getRequestBody());
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        // a HEAD answer has no body; the JDK then sends no Content-Length of its own
        if (head) exchange.getResponseHeaders().set("Content-Length", Integer.toString(data.length));
        exchange.sendResponseHeaders(status, head ? -1 : data.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(data);
            }
        }
    }

    /** Reads a request body to its end, so a kept-alive connection stays usable. */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /** Path and query as Python's http.server + urlsplit see them (raw, still percent-encoded). */
    static final class Target {
        final String path;
        final String query;

        private Target(String path, String query) {
            this.path = path;
            this.query = query;
        }

        static Target of(URI uri) {
            String raw = uri.toString();
            if (!raw.startsWith("/")) {
                // absolute form (http://host/path?query)
                return new Target(uri.getRawPath() == null ? "" : uri.getRawPath(), uri.getRawQuery() == null ? "" : uri.getRawQuery());
            }
            int hash = raw.indexOf('#');
            if (hash >= 0) raw = raw.substring(0, hash);
            int q = raw.indexOf('?');
            return q < 0 ? new Target(raw, "") : new Target(raw.substring(0, q), raw.substring(q + 1));
        }
    }
}
