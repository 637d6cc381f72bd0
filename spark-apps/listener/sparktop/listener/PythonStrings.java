package sparktop.listener;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The Python string semantics the Python listener's request parsing relies on ({@code parse_qs},
 * {@code str.strip()}, {@code int(s, 10)}, {@code repr(s)}), so that both listeners accept the
 * same parameters and word their 400 errors alike.
 */
final class PythonStrings {
    private PythonStrings() {}

    /** {@code str.isspace()} for one code point. */
    static boolean isSpace(int cp) {
        switch (cp) {
            case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d:
            case 0x1c: case 0x1d: case 0x1e: case 0x1f: case 0x20:
            case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
            case 0x202f: case 0x205f: case 0x3000:
                return true;
            default:
                return cp >= 0x2000 && cp <= 0x200a;
        }
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
        while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(start, end);
    }

    /**
     * {@code int(s, 10)}: surrounding whitespace, a sign, Unicode decimal digits with single
     * underscores between them. Null when Python would raise ValueError.
     */
    static BigInteger parseInt(String raw) {
        String s = strip(raw);
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        StringBuilder digits = new StringBuilder();
        boolean lastWasDigit = false;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_') {
                if (!lastWasDigit) return null;
                lastWasDigit = false;
                continue;
            }
            int d = Character.isDigit(cp) ? Character.digit(cp, 10) : -1;
            if (d < 0) return null;
            digits.append((char) ('0' + d));
            lastWasDigit = true;
        }
        if (digits.length() == 0 || !lastWasDigit) return null;
        BigInteger value = new BigInteger(digits.toString());
        return negative ? value.negate() : value;
    }

    /** {@code repr(s)} of a str. */
    static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') out.append('\\').appendCodePoint(cp);
            else if (cp == '\t') out.append("\\t");
            else if (cp == '\n') out.append("\\n");
            else if (cp == '\r') out.append("\\r");
            else if (cp < 0x20 || cp == 0x7f) out.append(String.format("\\x%02x", cp));
            else if (cp < 0x7f || isPrintable(cp)) out.appendCodePoint(cp);
            else if (cp <= 0xff) out.append(String.format("\\x%02x", cp));
            else if (cp <= 0xffff) out.append(String.format("\\u%04x", cp));
            else out.append(String.format("\\U%08x", cp));
        }
        return out.append(quote).toString();
    }

    private static boolean isPrintable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /**
     * {@code urllib.parse.unquote(s)} after {@code '+'} became a space: %XX escapes in ASCII runs
     * are decoded as UTF-8 (malformed bytes become U+FFFD), a bad escape stays as it is, other
     * characters pass through.
     */
    static String unquotePlus(String s) {
        s = s.replace('+', ' ');
        if (s.indexOf('%') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                flush(run, out);
                out.append(c);
            } else if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                run.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                run.write(c);
            }
        }
        flush(run, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream run, StringBuilder out) {
        if (run.size() == 0) return;
        out.append(new String(run.toByteArray(), StandardCharsets.UTF_8));
        run.reset();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
