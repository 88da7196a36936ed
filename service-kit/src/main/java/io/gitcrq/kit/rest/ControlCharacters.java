package io.gitcrq.kit.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Text no service can keep: a NUL character (PostgreSQL refuses it in text and JSON, file paths cannot hold it) in a
 * request body's strings, and any control character in the path or query (names, ids, filters never hold one). Both
 * are refused at the edge with a 400 problem, instead of a 500 from deep inside; the refusal never repeats the value.
 */
@Singleton
public class ControlCharacters implements ObjectMapperCustomizer {

    static final String NUL_IN_BODY =
            "a text in the request holds a NUL character (\\u0000), which gitcrq cannot store";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("gitcrq-no-nul")
                .addDeserializer(String.class, new NulFreeStrings())
                .addKeyDeserializer(String.class, new NulFreeKeys()));
    }

    /** Refuses a path or query with a control character (decoded: {@code %00} is caught too). */
    @ServerRequestFilter(preMatching = true)
    public Response refuseControlCharactersInTheAddress(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(true);
        if (hasControl(path)) {
            return problem("the request's path holds a control character");
        }
        for (Map.Entry<String, List<String>> parameter :
                request.getUriInfo().getQueryParameters(true).entrySet()) {
            if (hasControl(parameter.getKey())
                    || parameter.getValue().stream().anyMatch(ControlCharacters::hasControl)) {
                return problem("query parameter '" + printable(parameter.getKey()) + "' holds a control character");
            }
        }
        return null;
    }

    static boolean hasControl(String text) {
        return text != null && text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    private static Response problem(String detail) {
        return Response.status(400)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(400, "Bad Request", detail))
                .build();
    }

    private static final class NulFreeStrings extends StdScalarDeserializer<String> {
        NulFreeStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                throw new InvalidFormatException(parser, NUL_IN_BODY, null, String.class);
            }
            return value;
        }
    }

    private static final class NulFreeKeys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (key.indexOf('\0') >= 0) {
                throw new InvalidFormatException(context.getParser(), NUL_IN_BODY, null, String.class);
            }
            return key;
        }
    }
}
