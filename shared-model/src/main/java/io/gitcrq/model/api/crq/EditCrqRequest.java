package io.gitcrq.model.api.crq;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * PATCH /crqs/{id}: a new title, a new description, or both; what is absent (null) stays as it is. The same form
 * rules as {@link CreateCrqRequest} (a title not blank and at most {@value CreateCrqRequest#MAX_TITLE} characters, a
 * description at most {@value CreateCrqRequest#MAX_DESCRIPTION}); an empty description clears it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL) // a body names only what it changes
public record EditCrqRequest(String title, String description) {

    /** What is wrong with the request ("field problem"), sorted; empty when it may be applied. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (title == null && description == null) {
            problems.add("title or description must be given");
        }
        if (title != null && title.trim().isEmpty()) {
            problems.add("title must not be blank");
        }
        if (title != null && title.length() > CreateCrqRequest.MAX_TITLE) {
            problems.add("title size must be between 0 and " + CreateCrqRequest.MAX_TITLE);
        }
        if (description != null && description.length() > CreateCrqRequest.MAX_DESCRIPTION) {
            problems.add("description size must be between 0 and " + CreateCrqRequest.MAX_DESCRIPTION);
        }
        problems.sort(null);
        return problems;
    }
}
