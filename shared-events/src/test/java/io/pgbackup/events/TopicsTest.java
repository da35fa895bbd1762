package io.pgbackup.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicIsLaidOutWithItsDeadLetterTopicAndOnlyThePlansAreCompacted() {
        List<String> names = Topics.LAYOUT.stream().map(Topics.Layout::name).toList();
        for (String topic : Topics.ALL) {
            assertTrue(names.contains(topic), topic);
            assertTrue(names.contains(topic + ".dlq"), topic + ".dlq");
        }
        assertEquals(2 * Topics.ALL.size(), names.size());
        assertEquals(List.of(Topics.BACKUP_SCHEDULES), Topics.LAYOUT.stream().filter(Topics.Layout::compacted)
                .map(Topics.Layout::name).toList());
        assertTrue(Topics.LAYOUT.stream().filter(l -> l.name().endsWith(".dlq")).allMatch(l -> l.partitions() == 1));
    }
}
