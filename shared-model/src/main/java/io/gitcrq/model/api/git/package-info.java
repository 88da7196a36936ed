/**
 * The bodies git-watcher's REST API takes and answers with, as plain records: the service serves them and the CLI
 * reads them, so both agree on one shape. No HTTP types here; the routes and their mapping live in the service.
 */
package io.gitcrq.model.api.git;
