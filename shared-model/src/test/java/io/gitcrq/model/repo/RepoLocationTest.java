package io.gitcrq.model.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepoLocationTest {

    @Test
    void urlsAreRemoteAndKeptAsGiven() {
        assertThat(RepoLocation.of(" https://example.test/org/app.git "))
                .isEqualTo(new RepoLocation("https://example.test/org/app.git", true));
        assertThat(RepoLocation.of("file:///srv/git/app.git").remote()).isTrue();
        assertThat(RepoLocation.of("ssh://git@example.test/app.git").remote()).isTrue();
        assertThat(RepoLocation.of("git@example.test:org/app.git").remote()).isTrue();
    }

    @Test
    void pathsAreLocalAbsoluteAndNormalised() {
        RepoLocation location = RepoLocation.of("/srv/git/../git/./app.git");
        assertThat(location).isEqualTo(new RepoLocation("/srv/git/app.git", false));
        assertThat(location.path()).isEqualTo(Path.of("/srv/git/app.git"));
        assertThat(RepoLocation.of("relative/app").location())
                .isEqualTo(Path.of("relative/app").toAbsolutePath().normalize().toString());
        assertThatThrownBy(() -> RepoLocation.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMergeIsMadeInALocalPathOrAFileUrlsDirectoryNeverInARemote() {
        assertThat(RepoLocation.of("/srv/git/app.git").localDirectory()).contains(Path.of("/srv/git/app.git"));
        assertThat(RepoLocation.of("file:///srv/git/app.git").localDirectory()).contains(Path.of("/srv/git/app.git"));
        assertThat(RepoLocation.of("https://example.test/org/app.git").localDirectory())
                .isEmpty();
        assertThat(RepoLocation.of("git@example.test:org/app.git").localDirectory())
                .isEmpty();
    }
}
