package io.pgbackup.executor.pgbackrest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

/**
 * pgbackrest info's JSON (2.45's shape: a stanza's {@code name} after its {@code backup} list) as
 * a long-lived stanza has it. Pure parsing; the real pgbackrest's output is read in the pipeline
 * and status tests.
 */
class InfoParserTest {

    /** One stanza with {@code sets} backup sets, in pgbackrest's key order. */
    static String stanza(String name, int sets) {
        StringBuilder b = new StringBuilder("{\"archive\":[{\"database\":{\"id\":1,\"repo-key\":1},\"id\":\"15-1\",")
                .append("\"max\":\"000000010000000000000FFF\",\"min\":\"000000010000000000000002\"}],\"backup\":[");
        for (int i = 0; i < sets; i++) {
            String label = String.format("20260101-%06dF", i);
            b.append(i == 0 ? "" : ",").append("{\"archive\":{\"start\":\"0000000100000000000000")
                    .append(String.format("%02X", i % 256)).append("\",\"stop\":null},\"backrest\":{\"format\":5,")
                    .append("\"version\":\"2.45\"},\"database\":{\"id\":1,\"repo-key\":1},\"error\":false,")
                    .append("\"info\":{\"delta\":24000000,\"repository\":{\"delta\":3000000,\"size\":3000000},")
                    .append("\"size\":24000000},\"label\":\"").append(label).append("\",\"link\":null,")
                    .append("\"lsn\":{\"start\":\"0/2000028\",\"stop\":\"0/2000100\"},\"prior\":null,")
                    .append("\"reference\":null,\"tablespace\":null,\"timestamp\":{\"start\":")
                    .append(1767225600L + i * 3600L).append(",\"stop\":").append(1767225660L + i * 3600L)
                    .append("},\"type\":\"full\"}");
        }
        return b.append("],\"cipher\":\"none\",\"db\":[{\"id\":1,\"repo-key\":1,\"system-id\":7,\"version\":\"15\"}],")
                .append("\"name\":\"").append(name).append("\",\"repo\":[{\"cipher\":\"none\",\"key\":1,")
                .append("\"status\":{\"code\":0,\"message\":\"ok\"}}],\"status\":{\"code\":0,")
                .append("\"lock\":{\"backup\":{\"held\":false}},\"message\":\"ok\"}}").toString();
    }

    @Test
    void fiveHundredSetsAreAllRead() {
        // Over 200 KB: the old reader kept 64 KB of it and failed to parse.
        String json = "[" + stanza("other", 3) + "," + stanza("main", 500) + "]";
        assertTrue(json.length() > 200_000, "size " + json.length());
        InfoParser.RepoFacts facts = InfoParser.repo(new StringReader(json), "main");
        assertEquals(0, facts.statusCode(), facts.statusMessage());
        assertEquals(0, facts.worstRepoStatus());
        assertEquals(500, facts.sets().size());
        assertEquals("20260101-000000F", facts.sets().get(0).label());
        assertEquals("20260101-000499F", facts.sets().get(499).label());
        assertEquals("15-1", facts.archiveId());
        assertEquals("000000010000000000000FFF", facts.archiveMax());

        InfoParser.StanzaInfo info = InfoParser.parse(new StringReader(json), "main");
        assertTrue(info.healthy());
        assertEquals("20260101-000000F", info.backup().orElseThrow().label());
        assertEquals("20260101-000499F", info.newest().orElseThrow().label());
    }

    @Test
    void aBrokenRepositoryAndMissingOrUnreadableOutputSayWhy() {
        String broken = stanza("main", 1).replace("\"status\":{\"code\":0,\"message\":\"ok\"}}]",
                "\"status\":{\"code\":99,\"message\":\"other\"}}]");
        InfoParser.StanzaInfo info = InfoParser.parse(new StringReader("[" + broken + "]"), "main");
        assertFalse(info.healthy());
        assertEquals(99, info.worstRepoStatus());
        assertEquals("other", info.repoMessage());

        assertEquals("stanza not found in pgbackrest info",
                InfoParser.repo(new StringReader("[" + stanza("other", 1) + "]"), "main").statusMessage());
        assertEquals("pgbackrest info did not return JSON",
                InfoParser.repo(new StringReader("[{\"name\": "), "main").statusMessage());
        assertEquals("pgbackrest info did not return a JSON array",
                InfoParser.parse(new StringReader("{}"), "main").statusMessage());
        assertNull(InfoParser.repo(new StringReader("not json"), "main").archiveId());
    }
}
