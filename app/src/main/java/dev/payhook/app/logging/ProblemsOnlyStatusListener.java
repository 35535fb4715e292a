package dev.payhook.app.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Shows logback's own warnings and errors (a broken logging setup) on standard error and nothing else:
 * logback's stock console listeners repeat every informational step of its start-up.
 */
public final class ProblemsOnlyStatusListener implements StatusListener {

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            System.err.println("logback: " + status);
            if (status.getThrowable() != null) {
                status.getThrowable().printStackTrace(System.err);
            }
        }
    }
}
