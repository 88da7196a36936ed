package io.gitcrq.archfixture.good.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.Locale;

/** An entity as the rules allow it: extends PanacheEntityBase, carries JPA annotations, no queries. */
@Entity
public class Widget extends PanacheEntityBase {
    @Id
    public long id;

    public String name;

    public void rename(String newName) {
        name = newName;
    }

    /** Case conversion as the rules allow it: with a locale named. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
