package org.wwi.semantic;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** serve.yaml: the shipped file, defaults, and errors naming the key and the fix; password hashes. */
class TestServeConfig {

    @Test
    void theShippedConfigurationHasDemoUsersWithHashedPasswordsOnLocalhost() {
        ServeConfig c = ServeConfig.load(TestingWarehouse.ROOT.resolve(ServeConfig.FILE), Map.of());
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.port()).isEqualTo(8765);
        assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxRows()).isEqualTo(100_000);
        assertThat(c.tls()).isEmpty();
        assertThat(c.users()).containsOnlyKeys("analyst", "emea_manager", "marketing");
        assertThat(c.users().get("emea_manager").attributes()).containsEntry("region", "Europe");
        assertThat(PasswordHash.verify("wwi-emea".toCharArray(), c.users().get("emea_manager").passwordHash())).isTrue();
        assertThat(PasswordHash.verify("wwi-analyst".toCharArray(), c.users().get("emea_manager").passwordHash()))
                .isFalse();
        c.check(SemanticModel.load(TestingWarehouse.ROOT.resolve(SemanticModel.FOLDER)));
        assertThat(c.users().get("analyst").toString()).doesNotContain("pbkdf2");
    }

    @Test
    void errorsNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "users:\n  bob:\n    password: secret\n    role: analyst\n",
                null, Map.of())).hasMessageContaining("Cannot read server configuration: serve.yaml:3 "
                + "(users.bob.password): unknown key 'password'");
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "users:\n  bob:\n    password_hash: secret\n"
                + "    role: analyst\n", null, Map.of())).hasMessageContaining("(users.bob.password_hash): not a "
                + "password hash (make one with wwi serve --hash-password");
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "tls:\n  keystore: k.p12\n  keystore_password_env: "
                + "KS_PW\n", Path.of("/tmp"), Map.of())).hasMessageContaining("environment variable KS_PW is not set");
        assertThat(ServeConfig.parse("serve.yaml", "tls:\n  keystore: k.p12\n  keystore_password_env: KS_PW\n",
                Path.of("/etc/wwi"), Map.of("KS_PW", "pw")).tls().orElseThrow().keystore())
                .isEqualTo(Path.of("/etc/wwi/k.p12"));
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "port: 99999\n", null, Map.of()))
                .hasMessageContaining("Cannot listen on port 99999");
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "prot: 1\n", null, Map.of()))
                .hasMessageContaining("did you mean 'port'?");
        assertThat(ServeConfig.parse("serve.yaml", "", null, Map.of())).isEqualTo(ServeConfig.defaults());
        ServeConfig limited = ServeConfig.parse("serve.yaml", "query_timeout_seconds: 7\nmax_rows: 42\n", null, Map.of());
        assertThat(limited.queryTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(limited.maxRows()).isEqualTo(42);
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "max_rows: 0\n", null, Map.of()))
                .hasMessageContaining("Cannot use max_rows 0 (set max_rows in " + ServeConfig.FILE);
        assertThatThrownBy(() -> ServeConfig.parse("serve.yaml", "query_timeout_seconds: -1\n", null, Map.of()))
                .hasMessageContaining("Cannot use query_timeout_seconds -1 (set query_timeout_seconds in "
                        + ServeConfig.FILE);
    }

    @Test
    void passwordHashesAreSaltedAndVerifiedWithoutStoringThePassword() {
        String a = PasswordHash.hash("same".toCharArray(), 20_000);
        String b = PasswordHash.hash("same".toCharArray(), 20_000);
        assertThat(a).isNotEqualTo(b).startsWith("pbkdf2-sha256$20000$").doesNotContain("same");
        assertThat(PasswordHash.verify("same".toCharArray(), a)).isTrue();
        assertThat(PasswordHash.verify("Same".toCharArray(), a)).isFalse();
        assertThatThrownBy(() -> PasswordHash.check("pbkdf2-sha256$100$AAAA$AAAA", "user x"))
                .hasMessageContaining("fewer than 10000 iterations");
        assertThatThrownBy(() -> PasswordHash.hash(new char[0])).hasMessageContaining("empty password");
    }
}
