package io.pgbackup.platform.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.pgbackup.platform.PlatformConfig;

/**
 * Every request that can change state needs the operator's bearer token; reads do not. The token
 * comes from a file (never from an environment variable, which every child process and
 * {@code /proc/<pid>/environ} would show) and is compared in constant time through its digest.
 */
@ApplicationScoped
public class WriteAuthorization {

    private static final Logger LOG = Logger.getLogger(WriteAuthorization.class);
    static final int MIN_TOKEN_LENGTH = 32;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final byte[] digest;
    private final String noToken;

    WriteAuthorization(PlatformConfig config) {
        Optional<Path> file = config.api().tokenFile();
        this.digest = file.map(WriteAuthorization::load).map(WriteAuthorization::sha256).orElse(null);
        this.noToken = file.isEmpty()
                ? "this service has no API token (pgbackup.api.token-file), so it accepts no writes"
                : null;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> check(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return Optional.empty();
        }
        if (digest == null) {
            return Optional.of(refuse(noToken));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional
                    .of(refuse("a write needs 'Authorization: Bearer <token>' (make up writes the operator's token"
                            + " to .local/api-token)"));
        }
        if (!MessageDigest.isEqual(digest, sha256(header.substring(7).trim()))) {
            LOG.warnf("refused a %s with a wrong API token", request.getMethod());
            return Optional.of(refuse("the bearer token is not this deployment's API token"));
        }
        return Optional.empty();
    }

    private static Response refuse(String why) {
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pgbackup\"")
                .type(MediaType.APPLICATION_JSON).entity(new ApiError(401, "UNAUTHORIZED", why)).build();
    }

    private static String load(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
                if (mode.stream().anyMatch(OTHERS::contains)) {
                    throw new IllegalStateException("the API token file " + file
                            + " is readable or writable by others; make it 0600 (chmod 600)");
                }
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalStateException("the API token in " + file + " is shorter than " + MIN_TOKEN_LENGTH
                        + " characters");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file, e);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
