package io.llmrouter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kit changes no JVM-wide state: starting a {@link FaultServer} in a fresh JVM leaves the system
 * properties as they were (a fresh JVM, because this test JVM's Surefire sets the property itself).
 */
class FaultServerSystemPropertiesTest {

    /** Starts and closes one server, then prints the property the kit used to set. */
    static final class ChildMain {
        public static void main(String[] args) {
            try (FaultServer server = FaultServer.openAi().start()) {
                System.out.println("port " + server.port());
            }
            System.out.println("nodelay=" + System.getProperty("sun.net.httpserver.nodelay"));
        }
    }

    @Test
    void givenAFreshJvm_whenAFaultServerStartsAndCloses_thenNoSystemPropertyIsSet() throws Exception {
        // given
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ChildMain.class.getName()).redirectErrorStream(true).start();
        // when
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // then
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited; output: %s", output).isTrue();
        assertThat(child.exitValue()).as("exit code; output: %s", output).isZero();
        assertThat(output).contains("port ").contains("nodelay=null");
    }
}
