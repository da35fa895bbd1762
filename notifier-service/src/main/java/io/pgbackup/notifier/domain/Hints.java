package io.pgbackup.notifier.domain;

import java.util.Map;

/** What the person on call should do, by error code. */
final class Hints {

    private static final Map<String, String> BY_CODE = Map.ofEntries(
            Map.entry("56", "Check that PostgreSQL runs on the stanza's host; the next backup retries by itself."),
            Map.entry("27", "Check that PostgreSQL runs and accepts the postgres user on the stanza's host."),
            Map.entry("50", "Another pgbackrest run outside this system holds the stanza's lock; find it on the host."),
            Map.entry("55", "Run pgbackrest stanza-create for the stanza on its host."),
            Map.entry("37", "Add the stanza to pgbackrest.conf on the executor's host."),
            Map.entry("47", "Make the repository writable for the postgres user."),
            Map.entry("82", "Fix archive_command (see pg_stat_archiver): no backup completes until WAL is archived."),
            Map.entry("NO_EXECUTOR",
                    "Start the executor of the stanza's host, or add the stanza to its EXECUTOR_STANZAS."),
            Map.entry("TIMEOUT", "Find what slows the backup (disk, network to the repository) or raise"
                    + " executor.backup-timeout."),
            Map.entry("VERIFY_ERRORS", "Take a new full backup now: the damaged backup cannot be restored from."),
            Map.entry("EXECUTOR_RESTARTED", "Request the backup again; it was interrupted by an executor restart."));

    private Hints() {
    }

    static String forCode(String code) {
        return BY_CODE.getOrDefault(code, "Read the reason and the executor's log, then request the backup again.");
    }
}
