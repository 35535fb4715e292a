package dev.payhook.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 answer as the server framed it on the wire. Parsing fails, quoting what arrived, unless there is
 * a status line and, when a Content-Length is declared, exactly that many bytes of body.
 *
 * @param headers names in lower case
 */
record RawResponse(int status, Map<String, String> headers, String body) {

    /** Parses everything a connection received: one answer, its body delimited by Content-Length or the close. */
    static RawResponse parse(String received) {
        int end = received.indexOf("\r\n\r\n");
        if (!received.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP/1.1 answer: [" + received + "]");
        }
        Map<String, String> headers = headersOf(received.substring(0, end));
        String body = received.substring(end + 4);
        String length = headers.get("content-length");
        if (length != null && Integer.parseInt(length) != body.length()) {
            throw new AssertionError("Content-Length " + length + " but " + body.length() + " bytes: [" + received + "]");
        }
        return new RawResponse(Integer.parseInt(received.substring(9, 12)), headers, body);
    }

    /** The header fields of an answer's head (status line first, no blank line), names in lower case. */
    static Map<String, String> headersOf(String head) {
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether the server said it closes the connection after this answer. */
    boolean closes() {
        return header("Connection").filter(value -> value.equalsIgnoreCase("close")).isPresent();
    }
}
