package org.wwi.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.wwi.platform.Database;

/**
 * JUnit 5 extension: gives each test class its own fresh database on the JVM's shared
 * {@link TestServer}. Declare a {@link Database} parameter on the constructor, a lifecycle
 * method or a test method; a {@link TestServer} parameter gives the server itself.
 *
 * <pre>{@code
 * @ExtendWith(WwiPostgres.class)
 * class TestSomething {
 *     @Test void works(Database db) { … }
 * }
 * }</pre>
 */
public final class WwiPostgres implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(WwiPostgres.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        database(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == Database.class || type == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (p.getParameter().getType() == TestServer.class) {
            return TestServer.shared();
        }
        return database(e);
    }

    private static Database database(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() || classContext.getParent().isPresent()
                && classContext.getTestClass().isPresent() && classContext.getParent().get().getTestClass().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NS).getOrComputeIfAbsent("db", k -> new Holder(
                TestServer.shared().createDatabase(testClass.getSimpleName())), Holder.class).db;
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        private final Database db;

        Holder(Database db) {
            this.db = db;
        }

        @Override
        public void close() {
            db.close();
            TestServer.shared().dropDatabase(db.address().database());
        }
    }
}
