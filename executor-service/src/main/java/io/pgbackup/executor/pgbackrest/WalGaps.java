package io.pgbackup.executor.pgbackrest;

import java.util.BitSet;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pgbackup.events.StanzaStatusReported.WalGap;

/**
 * Finds WAL segments missing from the archive between two segments. pgbackrest verify (2.45) says
 * ok when a segment a backup needs is gone, and restore only fails at the end of recovery, so this
 * is the cheap early warning. Segment numbers are compared across timelines: a segment present on
 * any timeline counts, so a switch never looks like a gap.
 */
public final class WalGaps {

    /** An archived segment: 24 hex digits, a dash and its SHA-1 (then the compression extension). */
    private static final Pattern ARCHIVED = Pattern.compile("^([0-9A-F]{24})-[0-9a-f]{40}(\\..*)?$");
    private static final Pattern SEGMENT = Pattern.compile("^[0-9A-F]{24}$");
    /** Beyond this many segments (16 TB of 16 MB WAL) the range is not checked. */
    private static final long MAX_RANGE = 1L << 20;

    private WalGaps() {
    }

    /**
     * @param files file names under archive/STANZA/ARCHIVE_ID (sub-directories and history files
     *     are ignored)
     * @param from the first segment that must be there (the oldest backup's archive start)
     * @param to the last one (pgbackrest info's archive max)
     * @param segmentSize the cluster's wal_segment_size in bytes
     * @return null when the range cannot be checked
     */
    public static WalGap find(Collection<String> files, String from, String to, long segmentSize) {
        Optional<Scan> scan = scan(from, to, segmentSize);
        scan.ifPresent(s -> files.forEach(s::accept));
        return scan.map(Scan::result).orElse(null);
    }

    /** A scan of the range, fed one file name at a time; empty when the range cannot be checked. */
    public static Optional<Scan> scan(String from, String to, long segmentSize) {
        if (from == null || to == null || !SEGMENT.matcher(from).matches() || !SEGMENT.matcher(to).matches()
                || segmentSize <= 0) {
            return Optional.empty();
        }
        long segmentsPerLog = 0x1_0000_0000L / segmentSize;
        long first = number(from, segmentsPerLog);
        long last = number(to, segmentsPerLog);
        if (last < first || last - first > MAX_RANGE) {
            return Optional.empty();
        }
        return Optional.of(new Scan(from, to, first, last, segmentsPerLog));
    }

    /** The segments seen so far, one bit each (at most {@link #MAX_RANGE} bits). */
    public static final class Scan {

        private final String from;
        private final String to;
        private final long first;
        private final long last;
        private final long segmentsPerLog;
        private final BitSet present;

        private Scan(String from, String to, long first, long last, long segmentsPerLog) {
            this.from = from;
            this.to = to;
            this.first = first;
            this.last = last;
            this.segmentsPerLog = segmentsPerLog;
            this.present = new BitSet((int) (last - first + 1));
        }

        /** One file name under the archive id (directories and other files pass). */
        public void accept(String file) {
            Matcher m = ARCHIVED.matcher(file);
            if (m.matches()) {
                long n = number(m.group(1), segmentsPerLog);
                if (n >= first && n <= last) {
                    present.set((int) (n - first));
                }
            }
        }

        public WalGap result() {
            long missing = (last - first + 1) - present.cardinality();
            int firstAbsent = present.nextClearBit(0);
            String firstMissing = missing == 0 ? null : name(to.substring(0, 8), first + firstAbsent, segmentsPerLog);
            return new WalGap(from, to, missing, firstMissing);
        }
    }

    static long number(String segment, long segmentsPerLog) {
        long log = HexFormat.fromHexDigitsToLong(segment, 8, 16);
        long seg = HexFormat.fromHexDigitsToLong(segment, 16, 24);
        return log * segmentsPerLog + seg;
    }

    static String name(String timeline, long number, long segmentsPerLog) {
        return timeline + String.format("%08X%08X", number / segmentsPerLog, number % segmentsPerLog);
    }
}
