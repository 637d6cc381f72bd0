package sparktop.listener;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code since} and {@code runId} parameters of {@code GET /progress}, parsed as the Python listener does. */
final class ProgressParams {
    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Null when absent; a value beyond a long is clamped (it selects the same events). */
    final Long since;
    final String runId;

    private ProgressParams(Long since, String runId) {
        this.since = since;
        this.runId = runId;
    }

    private static final BigInteger MIN_SINCE = BigInteger.valueOf(-1);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    /** Other parameters are ignored (e.g. a client's cache buster). */
    static ProgressParams parse(String rawQuery) throws BadRequest {
        Map<String, List<String>> params = parseQs(rawQuery);
        Long since = null;
        List<String> sinceValues = params.get("since");
        if (sinceValues != null) {
            if (sinceValues.size() != 1) throw new BadRequest("'since' given more than once");
            BigInteger value = PythonStrings.parseInt(PythonStrings.strip(sinceValues.get(0)));
            if (value == null || value.compareTo(MIN_SINCE) < 0) {
                throw new BadRequest("'since' must be an integer batchId (>= -1), got " + PythonStrings.repr(sinceValues.get(0)));
            }
            since = value.compareTo(MAX_LONG) > 0 ? Long.MAX_VALUE : value.longValue();
        }
        String runId = null;
        List<String> runIdValues = params.get("runId");
        if (runIdValues != null) {
            if (runIdValues.size() != 1 || PythonStrings.strip(runIdValues.get(0)).isEmpty()) {
                throw new BadRequest("'runId' must be given once and be non-empty");
            }
            if (since == null) throw new BadRequest("'runId' needs 'since' (the batchId last seen in that run)");
            runId = PythonStrings.strip(runIdValues.get(0));
        }
        return new ProgressParams(since, runId);
    }

    /** {@code urllib.parse.parse_qs(query, keep_blank_values=True)}. */
    static Map<String, List<String>> parseQs(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) return params;
        for (String field : query.split("&", -1)) {
            if (field.isEmpty()) continue;
            int eq = field.indexOf('=');
            String name = eq < 0 ? field : field.substring(0, eq);
            String value = eq < 0 ? "" : field.substring(eq + 1);
            params.computeIfAbsent(PythonStrings.unquotePlus(name), k -> new ArrayList<>()).add(PythonStrings.unquotePlus(value));
        }
        return params;
    }
}
