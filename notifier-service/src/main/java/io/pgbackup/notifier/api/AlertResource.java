package io.pgbackup.notifier.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pgbackup.notifier.domain.Alert;
import io.pgbackup.notifier.domain.AlertLog;

/** Recent alerts, newest first (in memory until alert delivery and its outbox exist). */
@Path("/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    private final AlertLog log;

    public AlertResource(AlertLog log) {
        this.log = log;
    }

    @GET
    public List<Alert> recent() {
        return log.recent();
    }
}
