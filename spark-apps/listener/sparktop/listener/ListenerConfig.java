package sparktop.listener;

import java.util.function.Function;

/** The listener's settings, read from Spark confs (a lookup returning null for an unset key). */
final class ListenerConfig {
    static final String HOST = "spark.sparktop.listener.host";
    static final String PORT = "spark.sparktop.listener.port";
    static final String CAPACITY = "spark.sparktop.listener.capacity";
    static final String MAX_BYTES = "spark.sparktop.listener.maxBytes";
    static final String TRIGGER = "spark.sparktop.trigger";
    static final String MAX_OFFSETS_PER_TRIGGER = "spark.sparktop.maxOffsetsPerTrigger";
    static final String MIN_PARTITIONS = "spark.sparktop.minPartitions";

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 4090;

    final String host;
    final int port;
    final int capacity;
    final long maxBytes;
    /**
     * Served as {@code settings} in every /progress answer: query options a monitor cannot see in
     * Spark's progress or REST API. Only the keys that are set.
     */
    final String settingsJson;

    ListenerConfig(Function<String, String> conf) {
        String h = trimmed(conf.apply(HOST));
        host = h == null ? DEFAULT_HOST : h;
        port = (int) integer(conf, PORT, DEFAULT_PORT, 0, 65535);
        capacity = (int) integer(conf, CAPACITY, ProgressStore.DEFAULT_CAPACITY, 1, Integer.MAX_VALUE);
        maxBytes = integer(conf, MAX_BYTES, ProgressStore.DEFAULT_MAX_BYTES, 1, Long.MAX_VALUE);
        settingsJson = settings(conf);
    }

    private static String settings(Function<String, String> conf) {
        StringBuilder out = new StringBuilder("{");
        String trigger = trimmed(conf.apply(TRIGGER));
        if (trigger != null) out.append("\"trigger\":").append(Json.string(trigger));
        for (String key : new String[] {MAX_OFFSETS_PER_TRIGGER, MIN_PARTITIONS}) {
            String raw = trimmed(conf.apply(key));
            if (raw == null) continue;
            Long value = parseLong(raw);
            if (value == null) {
                Log.line("ignoring " + key + "=" + raw + ": not an integer; left out of the settings served");
                continue;
            }
            if (out.length() > 1) out.append(',');
            out.append(Json.string(key.substring("spark.sparktop.".length()))).append(':').append(value);
        }
        return out.append('}').toString();
    }

    private static long integer(Function<String, String> conf, String key, long fallback, long min, long max) {
        String raw = trimmed(conf.apply(key));
        if (raw == null) return fallback;
        Long value = parseLong(raw);
        if (value == null || value < min || value > max) {
            Log.line("ignoring " + key + "=" + raw + ": not an integer in [" + min + ", " + max + "]; using " + fallback);
            return fallback;
        }
        return value;
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String trimmed(String s) {
        if (s == null) return null;
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
