package io.gitcrq.kit.db;

/**
 * Database work that needs the migrated schema and must be done before any service code runs: {@link
 * DatabaseBootstrap} calls every such bean right after Flyway, within its own startup step. Lets a package
 * (the outbox's replication) add to the bootstrap without the db package knowing it.
 */
public interface AfterMigration {

    void afterMigration();
}
