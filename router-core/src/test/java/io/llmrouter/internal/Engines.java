package io.llmrouter.internal;

import io.llmrouter.Router;

/** Reaches a router's engine for tests of the internals (the facade keeps it private). */
final class Engines {

    private Engines() {
    }

    static RouterEngine of(Router router) {
        try {
            var field = Router.class.getDeclaredField("engine");
            field.setAccessible(true);
            return (RouterEngine) field.get(router);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Router has no 'engine' field", e);
        }
    }
}
