package io.gitcrq.audit.sources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Test sink: keeps every record, lets a test wait for some. */
final class Recorder implements Consumer<AuditRecord> {

    final List<AuditRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void accept(AuditRecord r) {
        records.add(r);
    }

    List<AuditRecord> of(String kind) {
        return records.stream().filter(r -> r.kind().equals(kind)).collect(Collectors.toList());
    }

    AuditRecord summary(String kind) {
        return records.stream()
                .filter(r -> r.kind().equals(kind + ".summary"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + ".summary in " + records));
    }

    boolean await(Predicate<List<AuditRecord>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(records)) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.test(records);
    }

    boolean awaitAny(Predicate<AuditRecord> r, Duration timeout) throws InterruptedException {
        return await(l -> l.stream().anyMatch(r), timeout);
    }

    @Override
    public String toString() {
        return records.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
}
