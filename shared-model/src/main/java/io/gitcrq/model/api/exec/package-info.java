/**
 * The bodies of exec-agent's REST API ({@code /execs}, {@code /launches}, {@code /workflows}): what the agent reads and
 * answers, and what the CLI sends and reads. Plain records, no HTTP types; field names, nulls and ISO-8601 instants are
 * the wire form.
 */
package io.gitcrq.model.api.exec;
