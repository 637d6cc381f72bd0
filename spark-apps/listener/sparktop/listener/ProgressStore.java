package sparktop.listener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thread-safe bounded store of streaming progress events and query runs: a port of
 * {@code ProgressStore} in spark-apps/sparktop_listener.py, which documents the selection rules of
 * {@link #snapshotJson}. Both answer {@code /progress} identically (test/cli/jvmListenerContract.test.ts).
 *
 * <p>Besides the event count, the JSON text held is bounded by a byte budget (oldest evicted
 * first; the newest event is always kept): a query over thousands of partitions writes progress
 * events of 100 kB and more.
 */
public final class ProgressStore {
    public static final int DEFAULT_CAPACITY = 2000;
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** At most this many runs (query starts) are remembered for "queries"/"terminated". */
    public static final int MAX_RUNS = 256;

    /** One start of one streaming query (one runId). */
    private static final class Run {
        final String id;
        final String runId;
        String name;
        boolean terminated;
        String exception;

        Run(String id, String runId, String name) {
            this.id = id;
            this.runId = runId;
            this.name = name;
        }
    }

    private static final class Event {
        final String runId;
        final long batchId;
        final String text;
        final long bytes;

        Event(String runId, long batchId, String text) {
            this.runId = runId;
            this.batchId = batchId;
            this.text = text;
            this.bytes = Json.utf8Length(text);
        }
    }

    /** A copy of one run's fields, taken under the lock. */
    private static final class RunView {
        final String id;
        final String runId;
        final String name;
        final boolean terminated;
        final String exception;

        RunView(Run r) {
            id = r.id;
            runId = r.runId;
            name = r.name;
            terminated = r.terminated;
            exception = r.exception;
        }

        /** The logical query: runs sharing a name (a fresh checkpoint keeps it), else the same id. */
        String group() {
            return name != null ? "name:" + name : "id:" + id;
        }
    }

    /** Which batch ids of one run a {@code since} selection keeps. */
    private interface Keep {
        boolean test(long batchId);
    }

    private static final Keep ALL = b -> true;

    private final int capacity;
    private final long maxBytes;
    private final int maxRuns;
    private final String settingsJson;
    private final Object lock = new Object();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    /** runId -> run; insertion order = start order. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>();
    private long bytes;

    public ProgressStore(int capacity, long maxBytes, int maxRuns, String settingsJson) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be a positive integer, got " + capacity);
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        if (maxRuns < 1) throw new IllegalArgumentException("maxRuns must be positive, got " + maxRuns);
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.maxRuns = maxRuns;
        this.settingsJson = settingsJson == null ? "{}" : settingsJson;
    }

    public ProgressStore(int capacity, String settingsJson) {
        this(capacity, DEFAULT_MAX_BYTES, MAX_RUNS, settingsJson);
    }

    // ------------------------------------------------------------------ writes

    private Run run(String queryId, String runId, String name) {
        Run run = runs.get(runId);
        if (run == null) {
            run = new Run(queryId, runId, name);
            runs.put(runId, run);
            Iterator<String> oldest = runs.keySet().iterator();
            while (runs.size() > maxRuns) {
                oldest.next();
                oldest.remove();
            }
        } else if (name != null && run.name == null) {
            run.name = name;
        }
        return run;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    public void queryStarted(String queryId, String runId, String name) {
        synchronized (lock) {
            run(queryId, runId, emptyToNull(name));
        }
    }

    public void queryTerminated(String queryId, String runId, String exception) {
        synchronized (lock) {
            Run run = run(queryId, runId, null);
            run.terminated = true;
            run.exception = emptyToNull(exception);
        }
    }

    /** Adds one progress event; {@code json} is Spark's {@code StreamingQueryProgress.json()}, kept verbatim. */
    public void addProgress(String queryId, String runId, String name, long batchId, String json) {
        if (queryId == null || runId == null || json == null) throw new IllegalArgumentException("progress needs id, runId and JSON");
        synchronized (lock) {
            run(queryId, runId, emptyToNull(name));
            Event event = new Event(runId, batchId, json);
            events.addLast(event);
            bytes += event.bytes;
            while (events.size() > capacity || (bytes > maxBytes && events.size() > 1)) {
                bytes -= events.removeFirst().bytes;
            }
        }
    }

    // ------------------------------------------------------------------- reads

    public int size() {
        synchronized (lock) {
            return events.size();
        }
    }

    public long bytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    /** The {@code /progress} body; {@code since} null or negative = every event, {@code runId} only with {@code since}. */
    public String snapshotJson(Long since, String runId) {
        List<RunView> runList = new ArrayList<>();
        List<Event> eventList;
        synchronized (lock) {
            for (Run r : runs.values()) runList.add(new RunView(r));
            eventList = new ArrayList<>(events);
        }
        if (since != null && since < 0) since = null;
        List<Event> selected = since == null ? eventList : select(eventList, runList, since, runId);

        StringBuilder out = new StringBuilder(256 + (int) Math.min(Integer.MAX_VALUE / 2, totalLength(selected)));
        out.append("{\"queries\":[");
        for (int i = 0; i < runList.size(); i++) {
            RunView r = runList.get(i);
            if (i > 0) out.append(',');
            out.append("{\"id\":").append(Json.string(r.id))
                .append(",\"runId\":").append(Json.string(r.runId))
                .append(",\"name\":").append(Json.string(r.name)).append('}');
        }
        out.append("],\"progress\":[");
        for (int i = 0; i < selected.size(); i++) {
            if (i > 0) out.append(',');
            out.append(selected.get(i).text);
        }
        out.append("],\"terminated\":[");
        boolean first = true;
        for (RunView r : runList) {
            if (!r.terminated) continue;
            if (!first) out.append(',');
            first = false;
            out.append("{\"id\":").append(Json.string(r.id))
                .append(",\"runId\":").append(Json.string(r.runId))
                .append(",\"exception\":").append(Json.string(r.exception)).append('}');
        }
        out.append("],\"settings\":").append(settingsJson).append('}');
        return out.toString();
    }

    private static long totalLength(List<Event> events) {
        long n = 0;
        for (Event e : events) n += e.text.length() + 1;
        return n;
    }

    /** The {@code since} rules of sparktop_listener.py's ProgressStore.snapshot_json, per logical query. */
    private static List<Event> select(List<Event> events, List<RunView> runs, long since, String runId) {
        Map<String, List<Event>> byRun = new HashMap<>();
        for (Event ev : events) byRun.computeIfAbsent(ev.runId, k -> new ArrayList<>()).add(ev);
        Map<String, RunView> runById = new HashMap<>();
        for (RunView r : runs) runById.put(r.runId, r);
        // runs are in start order already
        Map<String, List<RunView>> groups = new LinkedHashMap<>();
        for (RunView r : runs) groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        RunView anchorRun = runId != null ? runById.get(runId) : null;

        Map<String, Keep> keep = new HashMap<>();
        for (Map.Entry<String, List<RunView>> group : groups.entrySet()) {
            List<RunView> groupRuns = group.getValue();
            if (anchorRun != null && anchorRun.group().equals(group.getKey())) {
                int idx = groupRuns.indexOf(anchorRun);
                keep.put(anchorRun.runId, b -> b > since);
                for (RunView r : groupRuns.subList(idx + 1, groupRuns.size())) keep.put(r.runId, ALL);
                continue;
            }
            // since-only rule: the anchor is the newest run that reached `since`
            int idx = -1;
            for (int i = groupRuns.size() - 1; i >= 0; i--) {
                List<Event> evs = byRun.get(groupRuns.get(i).runId);
                if (evs != null && maxBatch(evs) >= since) {
                    idx = i;
                    break;
                }
            }
            if (idx < 0) {
                for (RunView r : groupRuns) keep.put(r.runId, ALL);
                continue;
            }
            RunView anchor = groupRuns.get(idx);
            keep.put(anchor.runId, b -> b > since);
            for (RunView r : groupRuns.subList(idx + 1, groupRuns.size())) keep.put(r.runId, ALL);
            long low = minBatch(byRun.get(anchor.runId));
            for (RunView r : groupRuns.subList(0, idx)) keep.put(r.runId, b -> since < b && b < low);
        }

        // Events of runs evicted from the run table (more than MAX_RUNS runs) belong to no known
        // logical query: they are kept when newer than `since`.
        List<Event> selected = new ArrayList<>();
        for (Event ev : events) {
            Keep k = keep.get(ev.runId);
            boolean orphan = !runById.containsKey(ev.runId);
            if (orphan ? ev.batchId > since : k != null && k.test(ev.batchId)) selected.add(ev);
        }
        return selected;
    }

    private static long maxBatch(List<Event> events) {
        long max = Long.MIN_VALUE;
        for (Event e : events) max = Math.max(max, e.batchId);
        return max;
    }

    private static long minBatch(List<Event> events) {
        long min = Long.MAX_VALUE;
        for (Event e : events) min = Math.min(min, e.batchId);
        return min;
    }
}
