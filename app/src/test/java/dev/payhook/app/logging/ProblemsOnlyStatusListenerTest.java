package dev.payhook.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProblemsOnlyStatusListenerTest {

    @Test
    void warnings_and_errors_reach_standard_error_and_routine_notes_do_not() {
        ProblemsOnlyStatusListener listener = new ProblemsOnlyStatusListener();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardError = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            listener.addStatusEvent(new InfoStatus("About to instantiate appender", this));
            listener.addStatusEvent(new WarnStatus("Appender named [x] not referenced", this));
            listener.addStatusEvent(new ErrorStatus("Could not create encoder", this, new IllegalStateException("boom")));
        } finally {
            System.setErr(standardError);
        }

        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(-1, printed.indexOf("About to instantiate"), printed);
        assertTrue(printed.contains("Appender named [x] not referenced"), printed);
        assertTrue(printed.contains("Could not create encoder"), printed);
        assertTrue(printed.contains("java.lang.IllegalStateException: boom"), printed);
    }
}
