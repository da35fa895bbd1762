package io.pgbackup.notifier.api;

import java.time.Instant;
import java.util.List;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.pgbackup.events.Severity;
import io.pgbackup.notifier.persistence.Alert;
import io.pgbackup.notifier.persistence.Channel;
import io.pgbackup.notifier.persistence.Delivery;

/** The alert history, newest first, with how each alert was delivered. */
@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    public record DeliveryView(Channel channel, Delivery.State state, int attempts, Instant sentAt, String lastError,
            boolean fallback) {
    }

    public record AlertView(long id, String stanza, Alert.Kind kind, Severity severity, String title, String reason,
            String hint, int occurrences, Instant occurredAt, Instant createdAt, List<DeliveryView> deliveries) {
    }

    @GET
    @Transactional
    public List<AlertView> history(@QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("stanza") String stanza) {
        int bounded = Math.max(1, Math.min(limit, 1000));
        List<Alert> alerts = stanza == null
                ? Alert.<Alert>find("order by id desc").page(0, bounded).list()
                : Alert.<Alert>find("stanza = ?1 order by id desc", stanza).page(0, bounded).list();
        return alerts.stream().map(a -> new AlertView(a.id, a.stanza, a.kind, a.severity, a.title, a.reason, a.hint,
                a.occurrences, a.occurredAt, a.createdAt,
                Delivery.<Delivery>find("select d from Delivery d join d.alerts a where a.id = ?1 order by d.id", a.id)
                        .list().stream().map(d -> new DeliveryView(d.channel, d.state, d.attempts, d.sentAt,
                                d.lastError, d.fallbackOf != null))
                        .toList()))
                .toList();
    }
}
