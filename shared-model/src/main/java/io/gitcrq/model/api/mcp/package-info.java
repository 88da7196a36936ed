/**
 * mcp-server's REST API besides MCP itself, as plain records: the CRQ-scoped tokens an agent launched for one CRQ
 * calls the MCP server with, read by the CLI with the same types.
 */
package io.gitcrq.model.api.mcp;
