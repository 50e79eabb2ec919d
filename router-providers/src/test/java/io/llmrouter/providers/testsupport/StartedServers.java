package io.llmrouter.providers.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts every {@link MockWebServer} instance field of the test (and of its enclosing instances,
 * for {@code @Nested} tests) before each test and closes it after, so an adapter test declares
 * its loopback server in one line instead of a start/stop pair of its own:
 *
 * <pre>{@code
 * @ExtendWith(StartedServers.class)
 * class AcmeTest {
 *     private final MockWebServer server = new MockWebServer();
 * }
 * }</pre>
 *
 * <p>The servers start before the test's own {@code @BeforeEach} methods and close after its
 * {@code @AfterEach} methods.
 */
public final class StartedServers implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (MockWebServer server : servers(context)) {
            server.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (MockWebServer server : servers(context)) {
            server.close();
        }
    }

    private static List<MockWebServer> servers(ExtensionContext context) throws IllegalAccessException {
        List<MockWebServer> servers = new ArrayList<>();
        for (Object test : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getType() == MockWebServer.class && !Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        servers.add((MockWebServer) field.get(test));
                    }
                }
            }
        }
        return servers;
    }
}
