package org.wwi.external;

import org.wwi.control.SecretStore;

import java.util.List;
import java.util.Optional;

/**
 * What the external-table catalog knows: data sources, file formats and external tables defined
 * by PolyBase DDL. Names are looked up case-insensitively, like T-SQL's default collation.
 * Implemented over the control database by {@code org.wwi.external.catalog.CatalogStore}; each
 * call reads the current state (no caching), so definitions changed by DDL are seen at once.
 */
public interface Catalog {

    /** The external table {@code schema.name}. */
    Optional<ExternalTableDef> table(String schema, String name);

    /** Every external table, ordered by schema and name. */
    List<ExternalTableDef> tables();

    Optional<DataSourceDef> dataSource(String name);

    List<DataSourceDef> dataSources();

    Optional<FileFormatDef> fileFormat(String name);

    List<FileFormatDef> fileFormats();

    /**
     * The table with its data source and file format.
     *
     * @throws ExternalException NOT_FOUND naming the table when there is none
     */
    ResolvedTable resolved(String schema, String name);

    /**
     * The identity and decrypted secret of a database scoped credential, to reach storage (an
     * account key or SAS token). Never print it: its {@code toString} masks the secret.
     *
     * @throws ExternalException NOT_FOUND when there is no such credential
     * @throws org.wwi.control.ControlException when the master key cannot be opened
     */
    SecretStore.Secret secret(String credential);
}
