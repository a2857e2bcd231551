package io.pollingevents.e2e;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's demo command, on the jar's runtime classpath: events flow and signatures verify. */
class DemoTest {
    @Test
    void demoShowsCreatedAndUpdatedEventsWithVerifiedSignatures() throws Exception {
        Path out = Files.createTempFile("demo", ".log");
        String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcamel.server.port=0", "-cp", classpath, "io.pollingevents.Application", "--demo"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                String text = Files.readString(out);
                assertThat(demo.isAlive()).as(text).isTrue();
                return text.contains("receiver: CREATED") && text.contains("receiver: UPDATED");
            });
        } finally {
            demo.destroy();
            demo.waitFor();
        }
        String text = Files.readString(out);
        assertThat(text).doesNotContain("SIGNATURE MISMATCH").contains("signature verified")
                .contains("created instance 1 from examples/smartrecruiters.json");
    }
}
