package io.gitcrq.kit.testing;

/**
 * Marks a {@code QuarkusTestProfile} whose tests run on a PostgreSQL server the profile provides (its config overrides
 * set {@code gitcrq.db.*}), say one started with settings the shared server must not get: {@link
 * FreshDatabaseTestResource}, which a module's tests declare for every test, then leaves the database settings to it
 * (a test resource's settings would win over a profile's).
 */
public interface OwnDatabaseServer {}
