package dev.payhook.domain;

/** The state of an event's record (DESIGN.md §3), by name. */
public enum RecordState {
    IN_PROGRESS, UNKNOWN, SUCCEEDED, DECLINED, FAILED;

    public static RecordState of(IdempotencyRecord record) {
        return switch (record) {
            case IdempotencyRecord.InProgress ignored -> IN_PROGRESS;
            case IdempotencyRecord.Unknown ignored -> UNKNOWN;
            case IdempotencyRecord.Succeeded ignored -> SUCCEEDED;
            case IdempotencyRecord.Declined ignored -> DECLINED;
            case IdempotencyRecord.Failed ignored -> FAILED;
        };
    }
}
