package io.pgbackup.events;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.pgbackup.events.Code.Facts;

/**
 * What this system knows of pgBackRest's errors beyond their names: what each usually is on an
 * executor's host, whether running the same command again can help, and what to do. Keyed by
 * pgBackRest's name, which says what an entry is about where a bare number would not; the codes and
 * names themselves come from pgBackRest's own lists ({@link PgBackRestError}), and a test fails on a
 * name here that no supported release defines. A name missing here gets {@link #generic(String)}.
 */
final class PgBackRestFacts {

    private static final Map<String, Facts> BY_NAME = Map.ofEntries(
            fact("AssertError", false,
                    "an assertion inside pgBackRest failed: a pgBackRest bug",
                    "Report it to pgBackRest with the command and its log; try a newer pgBackRest."),
            fact("ChecksumError", false,
                    "a checksum did not match: a damaged file in the repository or in the data directory",
                    "Run pgbackrest verify and take a new full backup."),
            fact("ConfigError", true,
                    "pgBackRest's configuration is wrong or leads to no usable database (check reports an"
                            + " unreachable primary this way; the cause is in the WARN before the error)",
                    "Read the WARN line before the error: start PostgreSQL, or fix pg1-path, pg1-port and"
                            + " pg1-socket-path in pgbackrest.conf."),
            fact("FileInvalidError", false,
                    "a file pgBackRest read is not what it should be",
                    "Read pgbackrest's message: the named file is damaged or was changed by hand."),
            fact("FormatError", false,
                    "pgBackRest could not parse a value or a file (a bad restore target, a wrong cipher pass)",
                    "Fix the value pgbackrest names; for encrypted repositories check the cipher pass."),
            fact("CommandRequiredError", false,
                    "pgBackRest was called without a command",
                    "A bug of the caller: report it with the executor's log."),
            fact("OptionInvalidError", false,
                    "pgBackRest rejected an option",
                    "Fix the option in pgbackrest.conf on the executor's host."),
            fact("OptionInvalidValueError", false,
                    "pgBackRest rejected an option's value",
                    "Fix the value in pgbackrest.conf on the executor's host."),
            fact("OptionRequiredError", false,
                    "a required option is missing; for a stanza: it is not configured on this host (no pg1-path)",
                    "Add the stanza with its pg1-path to pgbackrest.conf on the executor's host."),
            fact("PgRunningError", false,
                    "PostgreSQL is running where pgBackRest needs it stopped (a restore in place)",
                    "Stop PostgreSQL before an in-place restore."),
            fact("ProtocolError", true,
                    "pgBackRest's link to a remote host or to its own worker process broke",
                    "Check the network to the remote host; the next run retries."),
            fact("PathNotEmptyError", false,
                    "the restore directory is not empty",
                    "Restore into an empty directory, or use delta (production restores do)."),
            fact("FileOpenError", false,
                    "a file could not be opened (missing, or permissions)",
                    "Read pgbackrest's message for the file and fix its owner or mode."),
            fact("FileReadError", false,
                    "a file could not be read",
                    "Read pgbackrest's message for the file; check the disk."),
            fact("ParamRequiredError", false,
                    "an internal parameter was missing: a pgBackRest bug",
                    "Report it to pgBackRest with the command and its log."),
            fact("ArchiveMismatchError", false,
                    "the WAL archive belongs to another cluster (system id or version differ)",
                    "The stanza points at the wrong cluster or PostgreSQL was upgraded: run stanza-upgrade, or"
                            + " fix the configuration."),
            fact("ArchiveDuplicateError", false,
                    "the WAL segment is already in the archive with different content",
                    "Two clusters archive into one stanza: find the second one."),
            fact("VersionNotSupportedError", false,
                    "this PostgreSQL version is not supported by this pgBackRest",
                    "Use a pgBackRest that supports the PostgreSQL version."),
            fact("PathCreateError", false,
                    "a directory could not be created (the repository is not writable)",
                    "Make the repository writable for the postgres user."),
            fact("CommandInvalidError", false,
                    "pgBackRest does not know the command",
                    "A bug of the caller, or an older pgBackRest: check the installed version."),
            fact("HostConnectError", true,
                    "a remote host could not be reached (SSH or TLS)",
                    "Check that the remote host is up and reachable; the next run retries."),
            fact("LockAcquireError", true,
                    "another pgBackRest process of the stanza holds its lock (a backup, expire or stanza command)",
                    "Another pgbackrest run outside this system holds the stanza's lock; find it on the host."),
            fact("BackupMismatchError", false,
                    "the repository's backup info does not match the database",
                    "The stanza points at another cluster or PostgreSQL was upgraded: run stanza-upgrade, or fix"
                            + " the configuration."),
            fact("FileSyncError", false,
                    "a file could not be synced to disk",
                    "Check the disk holding the named file."),
            fact("PathOpenError", false,
                    "a directory could not be opened",
                    "Read pgbackrest's message for the directory and fix its owner or mode."),
            fact("PathSyncError", false,
                    "a directory could not be synced to disk",
                    "Check the disk holding the named directory."),
            fact("FileMissingError", false,
                    "a file pgBackRest needs is missing: usually the stanza was never created in the repository,"
                            + " or the repository path is wrong",
                    "Run pgbackrest stanza-create for the stanza on its host (and check repo1-path)."),
            fact("DbConnectError", true,
                    "PostgreSQL is not running or not reachable on this host",
                    "Check that PostgreSQL runs on the stanza's host; the next backup retries by itself."),
            fact("DbQueryError", true,
                    "a query on PostgreSQL failed",
                    "Read pgbackrest's message and PostgreSQL's log."),
            fact("DbMismatchError", false,
                    "the database does not match the configuration (version, system id or data directory)",
                    "Fix pg1-path or run stanza-upgrade after a PostgreSQL upgrade."),
            fact("FileRemoveError", false,
                    "a file could not be removed",
                    "Read pgbackrest's message for the file and fix its owner or mode."),
            fact("PathRemoveError", false,
                    "a directory could not be removed",
                    "Read pgbackrest's message for the directory and fix its owner or mode."),
            fact("StopError", false,
                    "pgbackrest stop is in effect for the stanza",
                    "Run pgbackrest start for the stanza when maintenance is over."),
            fact("TermError", true,
                    "pgBackRest was terminated by a signal",
                    "Find what stopped it (a restart, the OOM killer); request it again."),
            fact("FileWriteError", false,
                    "a file could not be written (disk full, or permissions)",
                    "Free space on, or fix permissions of, the disk pgbackrest names."),
            fact("FeatureNotSupportedError", false,
                    "pgBackRest does not support what was asked on this platform or version",
                    "Read pgbackrest's message; change the configuration."),
            fact("ArchiveCommandInvalidError", false,
                    "archive_command does not call pgbackrest archive-push for this stanza",
                    "Set archive_command to pgbackrest --stanza=<stanza> archive-push %p."),
            fact("LinkExpectedError", false,
                    "a symbolic link was expected",
                    "Read pgbackrest's message for the path."),
            fact("LinkDestinationError", false,
                    "a symbolic link points somewhere pgBackRest does not allow",
                    "Read pgbackrest's message for the link; remap it on restore."),
            fact("HostInvalidError", false,
                    "the command must run on another host (e.g. backup on the repository host)",
                    "Run it where pgbackrest.conf says the repository is."),
            fact("PathMissingError", false,
                    "a directory pgBackRest needs is missing",
                    "Create the directory pgbackrest names, owned by postgres."),
            fact("FileMoveError", false,
                    "a file could not be moved",
                    "Read pgbackrest's message for the file; check the disk."),
            fact("BackupSetInvalidError", false,
                    "no backup set can serve the request: the target is before the oldest backup, or the set does"
                            + " not exist",
                    "Choose a target after the oldest backup, or an existing set (pgbackrest info lists them)."),
            fact("TablespaceMapError", false,
                    "a tablespace could not be mapped on restore",
                    "Read pgbackrest's message; give a tablespace map."),
            fact("LinkMapError", false,
                    "a link could not be mapped on restore",
                    "Read pgbackrest's message; give a link map."),
            fact("FileCloseError", false,
                    "a file could not be closed",
                    "Check the disk holding the named file."),
            fact("DbMissingError", false,
                    "a database named for a selective restore does not exist in the backup",
                    "Name a database the backup holds."),
            fact("DbInvalidError", false,
                    "the database is not valid for this operation (e.g. a standby where a primary is needed)",
                    "Point the stanza at the primary."),
            fact("ArchiveTimeoutError", false,
                    "WAL was not archived within archive-timeout: archive_command is failing or too slow",
                    "Fix archive_command (see pg_stat_archiver): no backup completes until WAL is archived."),
            fact("FileModeError", false,
                    "a file has the wrong mode",
                    "Fix the mode of the file pgbackrest names."),
            fact("ArchiveDisabledError", false,
                    "archiving is off on PostgreSQL (archive_mode or archive_command)",
                    "Set archive_mode = on and archive_command to pgbackrest archive-push, then restart"
                            + " PostgreSQL."),
            fact("FileOwnerError", false,
                    "a file has the wrong owner",
                    "Give the file pgbackrest names to the postgres user."),
            fact("UserMissingError", false,
                    "an operating system user pgBackRest needs does not exist",
                    "Create the user or fix the configuration."),
            fact("FileExistsError", false,
                    "a file exists that should not",
                    "Read pgbackrest's message for the file."),
            fact("MemoryError", true,
                    "pgBackRest ran out of memory",
                    "Give the host more memory or lower process-max."),
            fact("CryptoError", false,
                    "encryption or decryption failed (a wrong cipher pass?)",
                    "Check repo1-cipher-pass on the executor's host."),
            fact("ParamInvalidError", false,
                    "an internal parameter was invalid: a pgBackRest bug",
                    "Report it to pgBackRest with the command and its log."),
            fact("PathCloseError", false,
                    "a directory could not be closed",
                    "Check the disk holding the named directory."),
            fact("FileInfoError", false,
                    "a file's information could not be read",
                    "Read pgbackrest's message for the file; check permissions."),
            fact("JsonFormatError", false,
                    "pgBackRest read invalid JSON (a damaged info file)",
                    "Run pgbackrest info and verify; repair or recreate the named file."),
            fact("KernelError", false,
                    "the operating system refused an operation",
                    "Read pgbackrest's message and the host's kernel log."),
            fact("ServiceError", true,
                    "a service pgBackRest relies on failed, not by pgBackRest's fault (seen here when PostgreSQL"
                            + " stopped in the middle of a backup)",
                    "Check PostgreSQL and the repository's storage on the host; request it again."),
            fact("ExecuteError", false,
                    "pgBackRest could not execute a program",
                    "Read pgbackrest's message for the program."),
            fact("RepoInvalidError", false,
                    "no valid repository could be found (e.g. archive-push for a stanza the repository does not"
                            + " have)",
                    "Check the stanza name in archive_command and that the stanza exists in the repository."),
            fact("CommandError", false,
                    "the command found one or more errors (see its output)",
                    "Read the command's output in the executor's log."),
            fact("AccessError", false,
                    "access was denied (authentication or authorization)",
                    "Fix the credentials or permissions pgbackrest names."),
            fact("ClockError", true,
                    "unexpected clock skew or time zone change",
                    "Synchronise the clocks of the hosts (NTP)."),
            fact("RuntimeError", false,
                    "an unexpected runtime error in pgBackRest",
                    "Report it to pgBackRest with the command and its log."),
            fact("UnhandledError", false,
                    "an error pgBackRest did not handle: a bug",
                    "Report it to pgBackRest with the command and its log."),
            fact("UnknownError", false,
                    "a process pgBackRest ran failed without a specific error",
                    "Read the command's output in the executor's log."));

    private PgBackRestFacts() {
    }

    /** A failed pgBackRest command always leaves a backup or a check undone: every one is CRITICAL. */
    private static Map.Entry<String, Facts> fact(String name, boolean retryable, String meaning, String remedy) {
        return Map.entry(name, new Facts(meaning, retryable, Severity.CRITICAL, remedy));
    }

    static Optional<Facts> known(String errorName) {
        return Optional.ofNullable(BY_NAME.get(errorName));
    }

    /**
     * For an error this version says nothing specific about (one a newer release added): its name
     * and pgBackRest's own message are all there is, and nothing says that trying again helps.
     */
    static Facts generic(String errorName) {
        return new Facts("pgBackRest error " + errorName + " (see pgbackrest's message)", false, Severity.CRITICAL,
                "Read pgbackrest's message in the executor's log; docs/errors.md may list the code in a newer"
                        + " version of this system.");
    }

    static Set<String> names() {
        return BY_NAME.keySet();
    }
}
