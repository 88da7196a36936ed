/**
 * crq-service's REST API as plain records: what it accepts and what it answers, read by the CLI with the same
 * types. No HTTP types here; the service's rest package maps them to and from its domain.
 */
package io.gitcrq.model.api.crq;
