package dev.payhook.redis;

import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.TransactionId;
import java.time.Instant;
import java.util.Optional;

/**
 * The compact, versioned string a record is stored as: a version digit, a state letter, the
 * fingerprint, then the state's data. The Lua scripts read the same layout (fixed-width prefix), so
 * changing it means a new version digit. Times are epoch milliseconds, 13 digits.
 *
 * <pre>
 * 1P&lt;fingerprint:11&gt;&lt;token:22&gt;&lt;lease end:13&gt;[attempt]                       in progress (attempt 1 when absent)
 * 1U&lt;fingerprint:11&gt;&lt;due:13&gt;&lt;since:13&gt;&lt;sent:13&gt;&lt;attempt&gt;:&lt;n&gt;:&lt;reference, n chars&gt;&lt;reason&gt;   unknown outcome
 * 1S&lt;fingerprint:11&gt;&lt;transaction id&gt;                                     succeeded
 * 1D&lt;fingerprint:11&gt;&lt;reason&gt;                                             declined
 * 1F&lt;fingerprint:11&gt;&lt;reason&gt;                                             failed
 * </pre>
 */
final class RecordCodec {

    private static final char VERSION = '1';
    private static final int FINGERPRINT_END = 2 + Fingerprint.LENGTH;
    private static final int TOKEN_END = FINGERPRINT_END + ClaimToken.LENGTH;
    private static final int TIME_DIGITS = 13;
    private static final int LEASE_END = TOKEN_END + TIME_DIGITS;
    private static final int DUE_END = FINGERPRINT_END + TIME_DIGITS;
    private static final int SINCE_END = DUE_END + TIME_DIGITS;
    private static final int SENT_END = SINCE_END + TIME_DIGITS;

    private RecordCodec() {
    }

    static String encode(IdempotencyRecord.Terminal record) {
        return switch (record) {
            case IdempotencyRecord.Succeeded succeeded ->
                    header('S', succeeded.fingerprint()) + succeeded.transactionId().value();
            case IdempotencyRecord.Declined declined -> header('D', declined.fingerprint()) + declined.reason();
            case IdempotencyRecord.Failed failed -> header('F', failed.fingerprint()) + failed.reason();
        };
    }

    /** What follows the due time in an unknown outcome's value; the script puts the due time before it. */
    static String unknownTail(IdempotencyRecord.Unknown unknown) {
        String reference = unknown.reference().map(TransactionId::value).orElse("");
        return time(unknown.since().toEpochMilli()) + time(unknown.sent().toEpochMilli()) + unknown.attempt() + ":" + reference.length() + ":" + reference
                + unknown.reason();
    }

    static IdempotencyRecord decode(String value) {
        if (value.length() < FINGERPRINT_END || value.charAt(0) != VERSION) {
            throw new IllegalArgumentException("unknown record format");
        }
        Fingerprint fingerprint = new Fingerprint(value.substring(2, FINGERPRINT_END));
        String data = value.substring(FINGERPRINT_END);
        return switch (value.charAt(1)) {
            case 'P' -> inProgress(fingerprint, value);
            case 'U' -> unknown(fingerprint, value);
            case 'S' -> new IdempotencyRecord.Succeeded(fingerprint, new TransactionId(data));
            case 'D' -> new IdempotencyRecord.Declined(fingerprint, data);
            case 'F' -> new IdempotencyRecord.Failed(fingerprint, data);
            default -> throw new IllegalArgumentException("unknown record state");
        };
    }

    private static IdempotencyRecord.InProgress inProgress(Fingerprint fingerprint, String value) {
        // The scripts read the lease end after the token; a claim without a readable one is damaged.
        if (value.length() < LEASE_END || !digits(value.substring(TOKEN_END, LEASE_END))
                || value.length() > LEASE_END && !digits(value.substring(LEASE_END))) {
            throw new IllegalArgumentException("a claim without a readable lease end and attempt");
        }
        int attempt = value.length() == LEASE_END ? 1 : Integer.parseInt(value.substring(LEASE_END));
        return new IdempotencyRecord.InProgress(fingerprint, new ClaimToken(value.substring(FINGERPRINT_END, TOKEN_END)),
                attempt);
    }

    private static IdempotencyRecord.Unknown unknown(Fingerprint fingerprint, String value) {
        int attemptEnd = value.length() < SENT_END ? -1 : value.indexOf(':', SENT_END);
        int lengthEnd = attemptEnd < 0 ? -1 : value.indexOf(':', attemptEnd + 1);
        if (lengthEnd < 0 || !digits(value.substring(FINGERPRINT_END, DUE_END)) || !digits(value.substring(DUE_END, SINCE_END))
                || !digits(value.substring(SINCE_END, SENT_END)) || !digits(value.substring(SENT_END, attemptEnd))
                || !digits(value.substring(attemptEnd + 1, lengthEnd))) {
            throw new IllegalArgumentException("an unknown outcome without its due time, attempt or reference");
        }
        int referenceEnd = lengthEnd + 1 + Integer.parseInt(value.substring(attemptEnd + 1, lengthEnd));
        if (referenceEnd > value.length()) {
            throw new IllegalArgumentException("an unknown outcome cut short");
        }
        String reference = value.substring(lengthEnd + 1, referenceEnd);
        return new IdempotencyRecord.Unknown(fingerprint, Integer.parseInt(value.substring(SENT_END, attemptEnd)),
                value.substring(referenceEnd),
                reference.isEmpty() ? Optional.empty() : Optional.of(new TransactionId(reference)),
                Instant.ofEpochMilli(Long.parseLong(value.substring(DUE_END, SINCE_END))),
                Instant.ofEpochMilli(Long.parseLong(value.substring(SINCE_END, SENT_END))));
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String time(long epochMillis) {
        String digits = Long.toString(epochMillis);
        return "0".repeat(Math.max(0, TIME_DIGITS - digits.length())) + digits;
    }

    private static String header(char state, Fingerprint fingerprint) {
        return "" + VERSION + state + fingerprint.value();
    }
}
