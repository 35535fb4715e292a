package dev.payhook.redis;

import dev.payhook.domain.ClaimToken;
import dev.payhook.domain.Fingerprint;
import dev.payhook.domain.IdempotencyRecord;
import dev.payhook.domain.TransactionId;

/**
 * The compact, versioned string a record is stored as: a version digit, a state letter, the
 * fingerprint, then the state's data. The Lua scripts read the same layout (fixed-width prefix), so
 * changing it means a new version digit.
 *
 * <pre>
 * 1P&lt;fingerprint:11&gt;&lt;token:22&gt;&lt;lease end, ms&gt;   in progress
 * 1S&lt;fingerprint:11&gt;&lt;transaction id&gt;           succeeded
 * 1D&lt;fingerprint:11&gt;&lt;reason&gt;                   declined
 * 1F&lt;fingerprint:11&gt;&lt;reason&gt;                   failed
 * </pre>
 */
final class RecordCodec {

    private static final char VERSION = '1';
    private static final int FINGERPRINT_END = 2 + Fingerprint.LENGTH;
    private static final int TOKEN_END = FINGERPRINT_END + ClaimToken.LENGTH;

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

    static IdempotencyRecord decode(String value) {
        if (value.length() < FINGERPRINT_END || value.charAt(0) != VERSION) {
            throw new IllegalArgumentException("unknown record format");
        }
        Fingerprint fingerprint = new Fingerprint(value.substring(2, FINGERPRINT_END));
        String data = value.substring(FINGERPRINT_END);
        return switch (value.charAt(1)) {
            case 'P' -> {
                // The scripts read the lease end after the token; a claim without a readable one is damaged.
                if (value.length() <= TOKEN_END || !value.substring(TOKEN_END).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("a claim without a lease end");
                }
                yield new IdempotencyRecord.InProgress(fingerprint, new ClaimToken(value.substring(FINGERPRINT_END, TOKEN_END)));
            }
            case 'S' -> new IdempotencyRecord.Succeeded(fingerprint, new TransactionId(data));
            case 'D' -> new IdempotencyRecord.Declined(fingerprint, data);
            case 'F' -> new IdempotencyRecord.Failed(fingerprint, data);
            default -> throw new IllegalArgumentException("unknown record state");
        };
    }

    private static String header(char state, Fingerprint fingerprint) {
        return "" + VERSION + state + fingerprint.value();
    }
}
