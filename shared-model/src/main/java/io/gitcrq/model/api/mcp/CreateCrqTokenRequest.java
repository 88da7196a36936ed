package io.gitcrq.model.api.mcp;

import io.gitcrq.model.policy.CrqId;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /crq-tokens: a token for the MCP server that acts as the caller on one CRQ only, for {@code validForMinutes}
 * (default {@value #DEFAULT_MINUTES}, at most {@value #MAX_MINUTES}).
 */
public record CreateCrqTokenRequest(String crqId, Integer validForMinutes) {

    public static final int DEFAULT_MINUTES = 480;
    public static final int MAX_MINUTES = 1440;

    public int validForMinutesOrDefault() {
        return validForMinutes == null ? DEFAULT_MINUTES : validForMinutes;
    }

    /** What is wrong with the request, one "field problem" each, sorted; empty when a token may be made. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (crqId == null || crqId.isBlank()) {
            problems.add("crqId must not be blank");
        } else {
            try {
                CrqId.parse(crqId);
            } catch (IllegalArgumentException e) {
                problems.add("crqId must be a CRQ id such as CRQ-7");
            }
        }
        if (validForMinutes != null && (validForMinutes < 1 || validForMinutes > MAX_MINUTES)) {
            problems.add("validForMinutes must be between 1 and " + MAX_MINUTES);
        }
        problems.sort(null);
        return problems;
    }
}
