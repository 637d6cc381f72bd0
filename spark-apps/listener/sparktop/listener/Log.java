package sparktop.listener;

/** One line on stderr, the only place the listener reports to (it must not depend on Spark's logging setup). */
final class Log {
    private static final String PREFIX = "sparktop-listener: ";

    private Log() {}

    static void line(String message) {
        try {
            System.err.println(PREFIX + message);
            System.err.flush();
        } catch (Throwable ignored) {
            // stderr closed: nothing sensible left to do
        }
    }
}
