package io.pgbackup.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The operator's bearer token of a test JVM: random, in a 0600 file as {@code make up} writes it. */
public final class ApiToken {

    private static String value;
    private static Path file;

    private ApiToken() {
    }

    /** The token to send in {@code Authorization: Bearer ...}. */
    public static synchronized String value() {
        if (value == null) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            value = HexFormat.of().formatHex(bytes);
            try {
                file = Files.createTempFile("pgbackup-api-token", "",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, value + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            file.toFile().deleteOnExit();
        }
        return value;
    }

    /** The file a service under test reads it from ({@code pgbackup.api.token-file}). */
    public static synchronized Path file() {
        value();
        return file;
    }

    /** The header value. */
    public static String bearer() {
        return "Bearer " + value();
    }
}
