package io.gitcrq.console.repository;

import io.gitcrq.kit.db.SqlTimes;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.hibernate.query.NativeQuery;

/** Native SQL with parameters bound by their type, so that a null binds as a typed null. */
final class Sql {

    /** A parameter with its Java type. */
    record P(Object value, Class<?> type) {}

    /**
     * A text; PostgreSQL keeps no NUL character (in text, nor escaped in JSON), so an event carrying one is
     * kept with U+FFFD in its place rather than refused over and over.
     */
    static P text(String value) {
        return new P(value == null ? null : value.replace('\0', '\ufffd').replace("\\u0000", "\\ufffd"), String.class);
    }

    static P time(Instant value) {
        return new P(value == null ? null : value.atOffset(ZoneOffset.UTC), OffsetDateTime.class);
    }

    static P integer(Integer value) {
        return new P(value, Integer.class);
    }

    static P number(Long value) {
        return new P(value, Long.class);
    }

    /** CRQ ids as one text, for {@code string_to_array(?, ',')} (ids never hold a comma). */
    static P ids(List<String> ids) {
        return text(String.join(",", ids == null ? List.of() : ids));
    }

    static List<String> idList(Object joined) {
        return joined == null || joined.toString().isEmpty()
                ? List.of()
                : Arrays.asList(joined.toString().split(","));
    }

    static Instant instant(Object value) {
        return SqlTimes.instant(value);
    }

    static Long longOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    static long longOf(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    static String str(Object value) {
        return value == null ? null : value.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static NativeQuery<?> query(EntityManager em, String sql, P... params) {
        NativeQuery q = em.createNativeQuery(sql).unwrap(NativeQuery.class);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i].value(), (Class) params[i].type());
        }
        return q;
    }

    static int update(EntityManager em, String sql, P... params) {
        return query(em, sql, params).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    static List<Object[]> rows(EntityManager em, String sql, P... params) {
        return (List<Object[]>) query(em, sql, params).getResultList();
    }

    private Sql() {}
}
