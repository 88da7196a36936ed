-- mcp-server keeps no domain state of its own: its database holds service-kit's outbox (db/kit, V1), through which every
-- tool call is published as an AgentToolCalled event. Nothing of its own yet.
SELECT 1;
