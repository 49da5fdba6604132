package org.wwi.semantic;

import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.AvaticaServerConfiguration;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.RemoteUserExtractor;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.eclipse.jetty.security.ConstraintMapping;
import org.eclipse.jetty.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.server.handler.HandlerList;
import org.eclipse.jetty.util.security.Constraint;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * The semantic layer served to BI tools over JDBC: an Avatica HTTP server (protobuf) whose
 * {@code Meta} is {@link SemanticMeta}, behind HTTP BASIC authentication against the users of
 * {@code serve.yaml}, optionally over TLS. Clients use the Avatica remote driver:
 * {@code jdbc:avatica:remote:url=http://host:port;serialization=protobuf;authentication=BASIC;
 * avatica_user=...;avatica_password=...}.
 */
public final class SemanticServer implements AutoCloseable {
    private final HttpServer http;
    private final ServerConnector connector;
    private final ServeConfig config;
    private final SemanticMeta meta;

    private SemanticServer(HttpServer http, ServerConnector connector, ServeConfig config, SemanticMeta meta) {
        this.http = http;
        this.connector = connector;
        this.config = config;
        this.meta = meta;
    }

    /** Starts listening; fails clearly when the port is taken or the keystore is unreadable. */
    public static SemanticServer start(SemanticLayer layer, ServeConfig config) {
        requireNonNull(layer, "layer is null");
        requireNonNull(config, "config is null");
        config.check(layer.model());
        if (config.users().isEmpty()) {
            throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot serve without users: "
                    + ServeConfig.FILE + " lists none (add one with a role and the hash from wwi serve --hash-password)");
        }
        config.tls().ifPresent(t -> {
            if (!Files.isReadable(t.keystore())) {
                throw new SemanticException(SemanticErrorCode.CONFIG_INVALID, "Cannot read TLS keystore "
                        + t.keystore() + " (fix tls.keystore in " + ServeConfig.FILE + ")");
            }
        });
        layer.warmUp();
        SemanticMeta meta;
        try {
            meta = new SemanticMeta(layer, config);
        } catch (SQLException e) {
            throw new SemanticException(SemanticErrorCode.SERVER_FAILED, "Cannot start the JDBC server: "
                    + e.getMessage(), e);
        }
        LocalService service = new LocalService(meta);
        UserLoginService login = new UserLoginService(config.users());
        AvaticaServerConfiguration auth = new Authentication(config);
        ServerConnector[] connector = new ServerConnector[1];
        ServerCustomizer<Server> customizer = server -> {
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            ServerConnector c;
            if (config.tls().isPresent()) {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setKeyStorePath(config.tls().get().keystore().toString());
                ssl.setKeyStorePassword(new String(config.tls().get().keystorePassword()));
                http.addCustomizer(new SecureRequestCustomizer());
                c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                        new HttpConnectionFactory(http));
            } else {
                c = new ServerConnector(server, new HttpConnectionFactory(http));
            }
            c.setHost(config.host());
            c.setPort(config.port());
            c.setIdleTimeout(60_000);
            server.setConnectors(new org.eclipse.jetty.server.Connector[] {c});
            connector[0] = c;

            Constraint constraint = new Constraint(Constraint.__BASIC_AUTH, UserLoginService.ROLE);
            constraint.setAuthenticate(true);
            ConstraintMapping mapping = new ConstraintMapping();
            mapping.setConstraint(constraint);
            mapping.setPathSpec("/*");
            ConstraintSecurityHandler security = new ConstraintSecurityHandler();
            security.setAuthenticator(new BasicAuthenticator());
            security.setLoginService(login);
            security.setRealmName(login.getName());
            security.setConstraintMappings(new ConstraintMapping[] {mapping});
            security.setHandler(new AvaticaProtobufHandler(service, NoopMetricsSystem.getInstance(), auth));
            HandlerList handlers = new HandlerList();
            handlers.setHandlers(new org.eclipse.jetty.server.Handler[] {security, new DefaultHandler()});
            server.setHandler(handlers);
        };
        HttpServer http = new HttpServer.Builder<Server>()
                .withCustomAuthentication(auth)
                .withServerCustomizers(List.of(customizer), Server.class)
                .withPort(config.port())
                .build();
        try {
            http.start();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof java.net.BindException) {
                throw new SemanticException(SemanticErrorCode.SERVER_FAILED, "Cannot listen on " + config.host() + ":"
                        + config.port() + ": " + root.getMessage() + " (the port is in use: set port in "
                        + ServeConfig.FILE + " or pass --port)", e);
            }
            throw new SemanticException(SemanticErrorCode.SERVER_FAILED, "Cannot start the JDBC server: "
                    + root.getMessage(), e);
        }
        SemanticServer s = new SemanticServer(http, connector[0], config, meta);
        service.setRpcMetadata(new RpcMetadataResponse(config.host() + ":" + s.port()));
        return s;
    }

    /** The port it listens on (the real one when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http(s)://host:port}. */
    public String url() {
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        return (config.tls().isPresent() ? "https" : "http") + "://" + host + ":" + port();
    }

    /** The Avatica JDBC URL without credentials. */
    public String jdbcUrl() {
        return jdbcUrl(url());
    }

    static String jdbcUrl(String httpUrl) {
        return "jdbc:avatica:remote:url=" + httpUrl + ";serialization=" + Driver.Serialization.PROTOBUF.name()
                .toLowerCase(java.util.Locale.ROOT) + ";authentication=" + AuthenticationType.BASIC.name();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        http.join();
    }

    @Override
    public void close() {
        http.stop();
    }

    /** Avatica's hook around each request: runs it as the authenticated user. */
    private static final class Authentication implements AvaticaServerConfiguration {
        private final ServeConfig config;

        Authentication(ServeConfig config) {
            this.config = config;
        }

        @Override
        public AuthenticationType getAuthenticationType() {
            return AuthenticationType.CUSTOM;
        }

        @Override
        public String getKerberosRealm() {
            return null;
        }

        @Override
        public String getKerberosPrincipal() {
            return null;
        }

        @Override
        public String getKerberosServiceName() {
            return null;
        }

        @Override
        public String getKerberosHostName() {
            return null;
        }

        @Override
        public String[] getAllowedRoles() {
            return new String[] {UserLoginService.ROLE};
        }

        @Override
        public String getHashLoginServiceRealm() {
            return null;
        }

        @Override
        public String getHashLoginServiceProperties() {
            return null;
        }

        @Override
        public boolean supportsImpersonation() {
            return true;
        }

        @Override
        public RemoteUserExtractor getRemoteUserExtractor() {
            return request -> {
                if (request.getUserPrincipal() == null) {
                    throw new org.apache.calcite.avatica.server.RemoteUserExtractionException("not authenticated");
                }
                return request.getUserPrincipal().getName();
            };
        }

        @Override
        public <T> T doAsRemoteUser(String remoteUserName, String remoteAddress, Callable<T> action) throws Exception {
            ServeConfig.User user = config.users().get(remoteUserName);
            if (user == null) {
                throw new org.apache.calcite.avatica.server.RemoteUserDisallowedException("unknown user");
            }
            return CurrentUser.runAs(user, action);
        }
    }
}
