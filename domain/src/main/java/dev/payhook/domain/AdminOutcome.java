package dev.payhook.domain;

import java.util.Objects;

/** What an operator's action on one event's record came to; the admin API maps each to an answer. */
public sealed interface AdminOutcome {

    /** The short name used in the audit log and the metric. */
    String label();

    /** No record is held for the event. */
    record Missing() implements AdminOutcome {
        @Override
        public String label() {
            return "missing";
        }
    }

    /** The payment the operator named is not the one recorded for the event. */
    record Mismatch(HeldRecord held) implements AdminOutcome {
        public Mismatch {
            Objects.requireNonNull(held, "held");
        }

        @Override
        public String label() {
            return "mismatch";
        }
    }

    /** The action would risk a second payment (or makes no sense) in the record's state; {@code why} says so. */
    record Refused(HeldRecord held, String why) implements AdminOutcome {
        public Refused {
            Objects.requireNonNull(held, "held");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String label() {
            return "refused";
        }
    }

    /** The record changed between looking and acting (a delivery came in); nothing was done. */
    record Changed() implements AdminOutcome {
        @Override
        public String label() {
            return "changed";
        }
    }

    /** The provider was asked; {@code now} is the record as it stands afterwards (changed or not). */
    record Reconciled(LookupResult found, IdempotencyRecord now, boolean recorded) implements AdminOutcome {
        public Reconciled {
            Objects.requireNonNull(found, "found");
            Objects.requireNonNull(now, "now");
        }

        @Override
        public String label() {
            return recorded ? "recorded" : "unchanged";
        }
    }

    /** The record is gone: the next delivery of the event starts afresh. */
    record Released(HeldRecord was) implements AdminOutcome {
        public Released {
            Objects.requireNonNull(was, "was");
        }

        @Override
        public String label() {
            return "released";
        }
    }
}
