package io.gitcrq.mergebot.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** How a repository's approved CRQs are merged; a repository without settings gets {@link #defaults}. */
@Entity
@Table(name = "merge_settings")
public class MergeSettings extends PanacheEntityBase {
    @Id
    public String repo;

    /** A {@link MergeStrategy#setting()} name. */
    @Column(nullable = false)
    public String strategy;

    /** Check names that must have reported SUCCESS on the commit to be merged. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "required_checks", nullable = false)
    public String[] requiredChecks;

    @Column(name = "delete_merged_branch", nullable = false)
    public boolean deleteMergedBranch;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static MergeSettings defaults(String repo) {
        MergeSettings settings = new MergeSettings();
        settings.repo = repo;
        settings.strategy = MergeStrategy.MERGE.setting();
        settings.requiredChecks = new String[0];
        settings.deleteMergedBranch = false;
        return settings;
    }

    public MergeStrategy mergeStrategy() {
        return MergeStrategy.fromSetting(strategy).orElseThrow();
    }

    public List<String> requiredCheckNames() {
        return requiredChecks == null ? List.of() : List.of(requiredChecks);
    }
}
