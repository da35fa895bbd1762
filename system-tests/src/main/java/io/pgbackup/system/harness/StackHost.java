package io.pgbackup.system.harness;

import java.util.ArrayList;
import java.util.List;

import io.pgbackup.testsupport.Os;

/** The stack's own database host: make up's demo primary, its stanza and its executor. */
public final class StackHost implements DatabaseHost {

    private final Stack stack;
    private final String stanza;
    private final String executorId;

    public StackHost(Stack stack, String stanza, String executorId) {
        this.stack = stack;
        this.stanza = stanza;
        this.executorId = executorId;
    }

    @Override
    public String name() {
        return "the stack's host";
    }

    @Override
    public String stanza() {
        return stanza;
    }

    @Override
    public Cluster postgres() {
        return stack.demo();
    }

    @Override
    public ExecutorProcess executor() {
        return new ExecutorProcess() {

            @Override
            public String id() {
                return executorId;
            }

            @Override
            public long pid() {
                return stack.pid("executor");
            }

            @Override
            public void kill() {
                long pid = pid();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            }

            @Override
            public void stop() {
                stack.stop("executor");
            }

            @Override
            public void start() {
                stack.upAgain();
            }
        };
    }

    @Override
    public Os.Result pgbackrest(String... args) {
        List<String> all = new ArrayList<>(List.of("--stanza=" + stanza));
        all.addAll(List.of(args));
        return stack.pgbackrest(all.toArray(String[]::new));
    }

    @Override
    public void cutOff() {
        throw new UnsupportedOperationException("the stack's own host shares this machine's network");
    }

    @Override
    public void reconnect() {
        throw new UnsupportedOperationException("the stack's own host shares this machine's network");
    }
}
