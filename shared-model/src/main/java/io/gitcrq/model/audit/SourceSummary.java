package io.gitcrq.model.audit;

/**
 * What every {@code <kind>.summary} says whatever its source: records captured and dropped, and why stopping
 * failed (null when it did not). exec-agent settles a source's counters from these when its summary comes.
 */
public interface SourceSummary {

    long captured();

    long dropped();

    String stopError();
}
