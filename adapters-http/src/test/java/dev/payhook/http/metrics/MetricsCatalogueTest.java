package dev.payhook.http.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payhook.domain.ChargeResult;
import dev.payhook.domain.EventId;
import dev.payhook.domain.TransactionId;
import dev.payhook.domain.WebhookOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The label values exported from start-up are exactly those the use case and the gateways can produce. */
class MetricsCatalogueTest {

    private static final EventId EVENT = new EventId("evt_1");
    private static final TransactionId TRANSACTION = new TransactionId("txn_1");

    @Test
    void the_outcome_labels_are_those_of_every_outcome_and_of_a_store_that_could_not_decide() {
        List<WebhookOutcome> oneOfEach = List.of(
                new WebhookOutcome.Processed(EVENT, TRANSACTION),
                new WebhookOutcome.AlreadyProcessed(EVENT, TRANSACTION),
                new WebhookOutcome.Declined(EVENT, "card_declined", false),
                new WebhookOutcome.InProgress(EVENT, Duration.ofSeconds(1)),
                new WebhookOutcome.PaymentFailed(EVENT, "timeout"),
                new WebhookOutcome.RecentlyFailed(EVENT, Duration.ofSeconds(1)),
                new WebhookOutcome.PayloadMismatch(EVENT),
                new WebhookOutcome.GatewayUnavailable(EVENT, "circuit open", Duration.ofSeconds(1)),
                new WebhookOutcome.PaymentPending(EVENT, Duration.ofSeconds(1)),
                new WebhookOutcome.NotPayable(EVENT, "below the minimum"));
        // A new kind of outcome must be added above, and so to the catalogue.
        assertEquals(WebhookOutcome.class.getPermittedSubclasses().length, oneOfEach.size());

        Set<String> labels = Stream.concat(oneOfEach.stream().map(WebhookOutcome::label),
                Stream.of(MicrometerProcessingObserver.STORE_UNAVAILABLE, MicrometerProcessingObserver.STORE_FULL,
                        MicrometerProcessingObserver.UNREADABLE_RECORD)).collect(Collectors.toSet());
        assertEquals(labels, Set.copyOf(MicrometerProcessingObserver.OUTCOMES));
    }

    @Test
    void the_gateway_result_labels_are_those_of_every_charge_result() {
        List<ChargeResult> oneOfEach = List.of(
                new ChargeResult.Charged(TRANSACTION),
                new ChargeResult.Declined("card_declined"),
                new ChargeResult.Failed("bad api key"),
                new ChargeResult.Unknown("timeout"),
                new ChargeResult.NotAttempted("circuit open", Duration.ofSeconds(1)));
        // A new kind of result must be added above.
        assertEquals(oneOfEach.size(), ChargeResult.class.getPermittedSubclasses().length);

        assertEquals(oneOfEach.stream().map(ChargeResult::label).collect(Collectors.toSet()),
                Set.copyOf(MicrometerProcessingObserver.GATEWAY_RESULTS));
    }
}
