package io.pgbackup.notifier.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Small JSON errors: 4xx say what was wrong, 5xx say nothing about internals. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    public record Error(int status, String error) {
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status < 500) {
            LOG.debugf("%d: %s", status, e.getMessage());
            return Response.status(status).entity(new Error(status, e.getMessage())).build();
        }
        LOG.error("request failed", e);
        return Response.status(status).entity(new Error(status, "internal error")).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf("request failed: %s", e.getClass().getSimpleName());
        return Response.status(500).entity(new Error(500, "internal error; see the notifier's log")).build();
    }
}
