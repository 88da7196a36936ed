/**
 * merge-bot's REST API as plain records: check reports, merge attempts, merge settings and stale branches, read
 * by the CLI with the same types. No HTTP types here; merge-bot's rest package maps them to and from its domain.
 */
package io.gitcrq.model.api.merge;
