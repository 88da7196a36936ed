package io.gitcrq.mergebot.rest;

import io.gitcrq.kit.error.InvalidRequestException;
import io.gitcrq.model.event.CheckReported;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A check report as CI posts it. */
public record CheckRequest(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be a repository name")
        String repo,

        @NotBlank
        @Pattern(regexp = "[0-9a-fA-F]{40}|[0-9a-fA-F]{64}", message = "must be a full commit id (40 or 64 hex digits)")
        String commitId,

        @NotBlank @Pattern(regexp = CHECK_NAME, message = CHECK_NAME_RULE)
        String name,

        @NotBlank String status,
        @Size(max = 2000) String url) {

    static final String CHECK_NAME = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}";
    static final String CHECK_NAME_RULE = "must be a check name: letters, digits and . _ : / - (at most 100)";

    public String commitIdLowerCase() {
        return commitId.toLowerCase(Locale.ROOT);
    }

    public String statusOrRefuse() {
        if (!CheckReported.STATUSES.contains(status)) {
            throw new InvalidRequestException("status must be PENDING, SUCCESS or FAILURE, not '" + status + "'");
        }
        return status;
    }

    /** An http(s) link to the check's run; one carrying credentials is refused, never stored or announced. */
    public String urlOrRefuse() {
        if (url == null || url.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRequestException("url is not a valid URL");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new InvalidRequestException("url must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidRequestException(
                    "url must not carry credentials (user:password@); link to the run without them");
        }
        return uri.toString();
    }
}
