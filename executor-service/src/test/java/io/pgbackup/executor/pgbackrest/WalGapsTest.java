package io.pgbackup.executor.pgbackrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pgbackup.events.StanzaStatusReported.WalGap;

/** The segment arithmetic of the WAL gap check (pure logic; the real archive is in StatusReportTest). */
class WalGapsTest {

    private static final long MB16 = 16L * 1024 * 1024;
    private static final String SHA = "-0123456789abcdef0123456789abcdef01234567.zst";

    @Test
    void aContiguousRangeAcrossALogBoundaryHasNoGap() {
        List<String> files = new ArrayList<>();
        for (String s : List.of("0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000",
                "000000010000000100000001")) {
            files.add(s + SHA);
        }
        files.add("0000000100000000000000FE.00000028.backup");
        files.add("00000002.history");
        WalGap gap = WalGaps.find(files, "0000000100000000000000FE", "000000010000000100000001", MB16);
        assertEquals(0, gap.missing());
        assertNull(gap.firstMissing());
    }

    @Test
    void aMissingSegmentIsCountedAndNamed() {
        List<String> files = List.of("000000010000000000000003" + SHA, "000000010000000000000005" + SHA,
                "000000010000000000000006" + SHA);
        WalGap gap = WalGaps.find(files, "000000010000000000000003", "000000010000000000000006", MB16);
        assertEquals(1, gap.missing());
        assertEquals("000000010000000000000004", gap.firstMissing());
    }

    @Test
    void aTimelineSwitchIsNotAGap() {
        List<String> files = List.of("000000010000000000000007" + SHA, "000000010000000000000008.partial" + SHA,
                "000000020000000000000008" + SHA, "000000020000000000000009" + SHA);
        assertEquals(0, WalGaps.find(files, "000000010000000000000007", "000000020000000000000009", MB16).missing());
    }

    @Test
    void largerSegmentsHaveFewerPerLogFile() {
        // 1 GB segments: 4 per log file, so 00000003 is followed by the next log's 00000000.
        List<String> files = List.of("000000010000000000000003" + SHA, "000000010000000100000000" + SHA);
        assertEquals(0, WalGaps.find(files, "000000010000000000000003", "000000010000000100000000",
                1024L * 1024 * 1024).missing());
    }

    @Test
    void rangesThatCannotBeCheckedGiveNoAnswerRatherThanAWrongOne() {
        assertNull(WalGaps.find(List.of(), null, "000000010000000000000003", MB16));
        assertNull(WalGaps.find(List.of(), "000000010000000000000009", "000000010000000000000003", MB16));
        assertNull(WalGaps.find(List.of(), "not a segment", "000000010000000000000003", MB16));
    }

    @Test
    void aHundredThousandSegmentsAreScannedLineByLine() {
        // What repo-ls lists after months of archiving: 8.7 MB of names, never one string here.
        WalGaps.Scan scan = WalGaps.scan("000000010000000000000000", "000000010000019000000000", MB16).orElseThrow();
        long missingNumber = 77_777;
        long count = 0;
        for (long n = 0; n <= 0x190L * 256; n++) {
            if (n != missingNumber) {
                scan.accept(WalGaps.name("00000001", n, 256) + SHA);
                count++;
            }
        }
        assertTrue(count > 100_000, "segments " + count);
        WalGap gap = scan.result();
        assertEquals(1, gap.missing());
        assertEquals(WalGaps.name("00000001", missingNumber, 256), gap.firstMissing());
    }
}
