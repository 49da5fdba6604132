package org.wwi.control;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.wwi.migrations.Migrations;
import org.wwi.platform.Database;
import org.wwi.testkit.WwiPostgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(WwiPostgres.class)
class TestSecretStore {
    private static final String SECRET = "Sup3r-Secret-Account-Key==";

    @BeforeAll
    static void migrate(Database db) {
        Migrations.shipped().migrate(db);
    }

    @Test
    void credentialsRoundTripAndAreNeverStoredOrShownInClear(Database db, @TempDir Path tmp) throws Exception {
        SecretStore store = SecretStore.open(db, ServiceKey.file(tmp.resolve("service.key")));
        resetSecrets(db);
        assertThatThrownBy(() -> store.createCredential("lake", "acct", SECRET.toCharArray()))
                .isInstanceOf(ControlException.class).hasMessageContaining("CREATE MASTER KEY");

        store.createMasterKey("correct horse battery".toCharArray());
        assertThat(store.hasMasterKey()).isTrue();
        assertThat(Files.readString(tmp.resolve("service.key")).strip()).hasSize(44);
        store.createCredential("lake", "wwistorage", SECRET.toCharArray());

        SecretStore.Secret s = store.secret("lake");
        assertThat(s.identity()).isEqualTo("wwistorage");
        assertThat(new String(s.secret())).isEqualTo(SECRET);
        assertThat(s.toString()).doesNotContain(SECRET).contains("***");
        assertThat(store.credentials()).singleElement().satisfies(c -> assertThat(c.toString()).doesNotContain(SECRET));

        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select secret, identity from secrets.credential")) {
            rs.next();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        }

        assertThatThrownBy(() -> store.createCredential("lake", "x", "y".toCharArray()))
                .hasMessageContaining("exists already");
        store.alterCredential("lake", "wwistorage", "rotated".toCharArray());
        assertThat(new String(store.secret("lake").secret())).isEqualTo("rotated");
        store.dropCredential("lake");
        assertThatThrownBy(() -> store.secret("lake")).hasMessageContaining("does not exist");
    }

    @Test
    void aLostServiceKeyIsRecoveredWithTheMasterKeyPassword(Database db, @TempDir Path tmp) throws Exception {
        resetSecrets(db);
        SecretStore first = SecretStore.open(db, ServiceKey.file(tmp.resolve("a.key")));
        first.createMasterKey("correct horse battery".toCharArray());
        first.createCredential("target", "dba", SECRET.toCharArray());

        SecretStore otherMachine = SecretStore.open(db, ServiceKey.file(tmp.resolve("b.key")));
        assertThatThrownBy(() -> otherMachine.secret("target"))
                .hasMessageContaining("no service key").hasMessageContaining("OPEN MASTER KEY");
        assertThatThrownBy(() -> otherMachine.openMasterKey("wrong password".toCharArray()))
                .hasMessageContaining("password is wrong");
        otherMachine.openMasterKey("correct horse battery".toCharArray());
        assertThat(new String(otherMachine.secret("target").secret())).isEqualTo(SECRET);
        assertThatThrownBy(() -> first.secret("target")).hasMessageContaining("is not the one that protects it");
    }

    @Test
    void aTamperedSecretIsDetected(Database db, @TempDir Path tmp) throws Exception {
        resetSecrets(db);
        SecretStore store = SecretStore.open(db, ServiceKey.file(tmp.resolve("s.key")));
        store.createMasterKey("correct horse battery".toCharArray());
        store.createCredential("one", "a", SECRET.toCharArray());
        store.createCredential("two", "b", "zebra-secret-2".toCharArray());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update secrets.credential set secret = (select secret from secrets.credential "
                    + "where name = 'two') where name = 'one'");
        }
        assertThatThrownBy(() -> store.secret("one")).hasMessageContaining("does not match the master key")
                .hasMessageNotContaining("zebra");
    }

    private static void resetSecrets(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("delete from secrets.credential; delete from secrets.master_key");
        }
    }
}
