package org.wwi.external.storage;

import org.apache.hadoop.conf.Configuration;
import org.wwi.control.SecretStore;
import org.wwi.external.DataSourceDef;
import org.wwi.external.ExternalErrorCode;
import org.wwi.external.ExternalException;

import java.net.URI;
import java.util.Locale;

/**
 * Turns a database scoped credential into hadoop-azure settings, following PolyBase's conventions
 * for {@code CREATE DATABASE SCOPED CREDENTIAL … WITH IDENTITY = '…', SECRET = '…'}:
 *
 * <ul>
 *   <li>{@code IDENTITY = 'SHARED ACCESS SIGNATURE'}: SECRET is a SAS token (a leading {@code ?} is
 *       dropped). wasb: {@code fs.azure.sas.<container>.<account>}; abfs: {@code fs.azure.account.auth.type
 *       = SAS} with hadoop-azure's {@code FixedSASTokenProvider} ({@code fs.azure.sas.fixed.token}).</li>
 *   <li>{@code IDENTITY = '<client id>@<OAuth 2.0 token endpoint>'} (abfs only): a service principal;
 *       SECRET is its client secret ({@code fs.azure.account.auth.type = OAuth},
 *       {@code ClientCredsTokenProvider}).</li>
 *   <li>{@code IDENTITY = 'Managed Identity'}: not supported (there is no Azure instance metadata here).</li>
 *   <li>any other IDENTITY (PolyBase's examples use {@code 'user'} or the account name): SECRET is the
 *       storage account key ({@code fs.azure.account.key.<account>}; abfs also {@code auth.type = SharedKey}).</li>
 * </ul>
 *
 * The account is the LOCATION's authority after {@code @}, port included, exactly as hadoop-azure
 * looks it up: {@code wasb://lake@devstoreaccount1.localhost:10000/} gives account
 * {@code devstoreaccount1.localhost:10000}. {@code file:} locations ignore the credential.
 */
final class AzureSettings {
    static final String SAS_IDENTITY = "SHARED ACCESS SIGNATURE";

    private AzureSettings() {
    }

    static void apply(Configuration conf, DataSourceDef source, SecretStore.Secret secret) {
        String scheme = source.scheme();
        if (scheme.equals("file")) {
            return;
        }
        URI uri = source.location();
        String authority = uri.getRawAuthority();
        if (authority == null || !authority.contains("@")) {
            throw new ExternalException(ExternalErrorCode.UNSUPPORTED_LOCATION, "Cannot use data source "
                    + source.name() + ": " + uri + " names no container (write " + scheme
                    + "://<container>@<account host>/<path>)");
        }
        String container = authority.substring(0, authority.indexOf('@'));
        String account = authority.substring(authority.indexOf('@') + 1);
        String identity = secret.identity().strip();
        String value = new String(secret.secret()).strip();
        boolean wasb = scheme.startsWith("wasb");
        String upper = identity.toUpperCase(Locale.ROOT);
        if (upper.equals(SAS_IDENTITY)) {
            String sas = value.startsWith("?") ? value.substring(1) : value;
            if (wasb) {
                conf.set("fs.azure.sas." + container + "." + account, sas);
            } else {
                conf.set("fs.azure.account.auth.type." + account, "SAS");
                conf.set("fs.azure.sas.token.provider.type." + account,
                        "org.apache.hadoop.fs.azurebfs.sas.FixedSASTokenProvider");
                conf.set("fs.azure.sas.fixed.token." + account, sas);
            }
        } else if (upper.equals("MANAGED IDENTITY") || upper.equals("MANAGED SERVICE IDENTITY")) {
            throw new ExternalException(ExternalErrorCode.INVALID_DEFINITION, "Cannot use credential of data source "
                    + source.name() + ": IDENTITY = '" + identity + "' is not supported (use an account key, "
                    + "IDENTITY = 'SHARED ACCESS SIGNATURE' or a service principal '<client id>@<token endpoint>')");
        } else if (!wasb && identity.contains("@https://")) {
            String clientId = identity.substring(0, identity.indexOf('@'));
            String endpoint = identity.substring(identity.indexOf('@') + 1);
            conf.set("fs.azure.account.auth.type." + account, "OAuth");
            conf.set("fs.azure.account.oauth.provider.type." + account,
                    "org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider");
            conf.set("fs.azure.account.oauth2.client.endpoint." + account, endpoint);
            conf.set("fs.azure.account.oauth2.client.id." + account, clientId);
            conf.set("fs.azure.account.oauth2.client.secret." + account, value);
        } else {
            conf.set("fs.azure.account.key." + account, value);
            if (!wasb) {
                conf.set("fs.azure.account.auth.type." + account, "SharedKey");
            }
        }
    }
}
