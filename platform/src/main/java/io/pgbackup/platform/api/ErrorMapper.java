package io.pgbackup.platform.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One error mapping for every service: 4xx say what was wrong, with a stable code; 5xx say nothing
 * about internals, and the log gets the exception's class and place but not its message, which
 * could carry a secret (a webhook URL, a connection string).
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        LOG.debugf("%d %s: %s", e.status(), e.code(), e.getMessage());
        return answer(new ApiError(e.status(), e.code(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status < 500) {
            LOG.debugf("%d: %s", status, e.getMessage());
            return answer(new ApiError(status, codeOf(status), e.getMessage()));
        }
        log(e);
        return answer(new ApiError(status, "INTERNAL_ERROR", "internal error; see the service's log"));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        log(e);
        return answer(new ApiError(500, "INTERNAL_ERROR", "internal error; see the service's log"));
    }

    private static void log(Throwable e) {
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.errorf("request failed: %s at %s", e.getClass().getName(), at);
    }

    static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 409 -> "CONFLICT";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "HTTP_" + status;
        };
    }

    private static Response answer(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
