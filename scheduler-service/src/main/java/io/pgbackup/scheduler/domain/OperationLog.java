package io.pgbackup.scheduler.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.pgbackup.events.BackupCompleted;
import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.BackupFailed;
import io.pgbackup.events.BackupSkipped;
import io.pgbackup.events.MaintenanceCompleted;
import io.pgbackup.events.MaintenanceFailed;
import io.pgbackup.events.RestoreCompleted;
import io.pgbackup.events.RestoreFailed;
import io.pgbackup.events.Subject;
import io.pgbackup.scheduler.config.SchedulerConfig;

/**
 * The seed's operation logs: one line per event of backup.events with its outcome, in
 * {@code backup.log}, {@code restore.log} and {@code maintenance.log} of
 * {@code scheduler.operation-log.dir} (/var/log/backups in the compose stack, .local/logs in make
 * up), for people who read files rather than topics. Each file is rotated when the day (UTC) changes
 * to {@code NAME.YYYY-MM-DD}; rotated files older than {@code retention-days} are removed. A line
 * may repeat when an event is delivered again (at least once); the topic stays the record.
 */
@ApplicationScoped
public class OperationLog {

    private static final Logger LOG = Logger.getLogger(OperationLog.class);

    private final Optional<Path> dir;
    private final int retentionDays;
    private final Clock clock;
    /** The day each file's rotated copies were last looked at: once a day, not on every line. */
    private final java.util.Map<Path, LocalDate> sweptOn = new java.util.HashMap<>();
    private boolean warned;

    @Inject
    public OperationLog(SchedulerConfig config) {
        this(config.operationLog().dir().filter(d -> !d.isBlank()).map(Path::of),
                config.operationLog().retentionDays(), Clock.systemUTC());
    }

    OperationLog(Optional<Path> dir, int retentionDays, Clock clock) {
        this.dir = dir;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    /** Appends the event's line to its subject's file; a failure to write is logged, never thrown. */
    public synchronized void record(BackupEvent event) {
        if (dir.isEmpty()) {
            return;
        }
        Path file = dir.get().resolve(fileName(event.subject()));
        try {
            Files.createDirectories(dir.get());
            rotate(file);
            Files.writeString(file, line(event) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            warned = false;
        } catch (IOException | RuntimeException e) {
            // The topic and the history are the record; a full or read-only disk must not stop them.
            if (!warned) {
                LOG.warnf("operation log %s not written: %s", file, e.getMessage());
                warned = true;
            }
        }
    }

    static String fileName(Subject subject) {
        return subject.name().toLowerCase(Locale.ROOT) + ".log";
    }

    /** {@code TIME TYPE outcome=... stanza=... detail=... request=... executor=...} and the type's own fields. */
    static String line(BackupEvent e) {
        StringBuilder b = new StringBuilder().append(e.occurredAt()).append(' ').append(e.type());
        field(b, "outcome", e.category().name().toLowerCase(Locale.ROOT));
        field(b, "stanza", e.stanza());
        field(b, "detail", e.detail());
        field(b, "request", e.requestId());
        field(b, "executor", e.executorId());
        if (e instanceof BackupCompleted c) {
            field(b, "type", c.backupType().wire());
            field(b, "label", c.label());
            field(b, "seconds", String.format(Locale.ROOT, "%.1f", c.durationSeconds()));
        } else if (e instanceof BackupFailed f) {
            field(b, "code", f.errorCode());
            field(b, "reason", f.reason());
        } else if (e instanceof BackupSkipped s) {
            field(b, "reason", s.reason());
        } else if (e instanceof MaintenanceCompleted m) {
            field(b, "summary", m.summary());
        } else if (e instanceof MaintenanceFailed f) {
            field(b, "code", f.errorCode());
            field(b, "reason", f.reason());
        } else if (e instanceof RestoreCompleted r) {
            field(b, "set", r.backupLabel());
            field(b, "kept_at", r.keptAt());
            field(b, "lsn", r.reachedLsn());
        } else if (e instanceof RestoreFailed f) {
            field(b, "code", f.errorCode());
            field(b, "reason", f.reason());
        }
        return b.toString();
    }

    /** key=value, quoted when it has spaces or quotes; control characters never end a line early. */
    private static void field(StringBuilder b, String key, Object value) {
        if (value == null) {
            return;
        }
        String v = value.toString().replaceAll("\\p{Cntrl}", " ");
        b.append(' ').append(key).append('=');
        if (v.isEmpty() || v.chars().anyMatch(ch -> ch == ' ' || ch == '"' || ch == '=')) {
            b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            b.append(v);
        }
    }

    /**
     * Moves yesterday's (or older) file aside, and, on the first write of each day, removes rotated
     * files past the retention.
     */
    private void rotate(Path file) throws IOException {
        LocalDate today = LocalDate.now(clock);
        if (Files.exists(file)) {
            LocalDate written = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
            if (written.isBefore(today)) {
                Path rotated = file.resolveSibling(file.getFileName() + "." + written);
                if (Files.exists(rotated)) {
                    // Rotated already today by another path: keep both.
                    rotated = file.resolveSibling(rotated.getFileName() + "." + clock.millis());
                }
                Files.move(file, rotated);
            }
        }
        if (today.equals(sweptOn.get(file))) {
            return;
        }
        sweptOn.put(file, today);
        LocalDate oldest = today.minusDays(retentionDays);
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(), prefix + "*")) {
            for (Path p : siblings) {
                String suffix = p.getFileName().toString().substring(prefix.length());
                try {
                    if (LocalDate.parse(suffix.length() >= 10 ? suffix.substring(0, 10) : suffix).isBefore(oldest)) {
                        Files.deleteIfExists(p);
                    }
                } catch (DateTimeParseException notRotated) {
                    // Not one of ours: left alone.
                }
            }
        }
    }
}
