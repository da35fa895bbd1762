package io.pgbackup.system.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.pgbackup.testsupport.Os;
import io.pgbackup.testsupport.Project;

/**
 * The operator's scripts (scripts/backup-health) as a person runs them against a stack: with that
 * stack's addresses and credentials given explicitly, so nothing is taken from a working tree's
 * .local or from a compose stack that happens to run on the machine.
 */
public final class Scripts {

    private final Map<String, String> environment;

    private Scripts(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The scripts pointed at a make-up stack. */
    public static Scripts of(Stack stack) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SCHEDULER_URL", stack.scheduler().url());
        env.put("HEALTH_URL", stack.health().url());
        env.put("API_TOKEN_FILE", stack.scheduler().tokenFile().toString());
        env.put("PGBACKREST_CONFIG", stack.dir().resolve("pgbackrest/pgbackrest.conf").toString());
        // No compose stack is looked for: its project name is one that no stack has.
        env.put("COMPOSE_PROJECT", "none-" + stack.dir().getFileName());
        return new Scripts(env);
    }

    /** The same scripts with more settings (WAIT_SECONDS, KEEP...). */
    public Scripts with(String variable, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(variable, value);
        return new Scripts(env);
    }

    /** Runs scripts/backup-health/NAME with arguments; exit code and output. */
    public Os.Result run(String name, String... args) {
        List<String> command = new ArrayList<>(List.of("bash",
                Project.file("scripts/backup-health/" + name).toString()));
        command.addAll(List.of(args));
        return Os.run(command, environment, Duration.ofMinutes(10), null);
    }
}
