package org.wwi.external.query;

import org.wwi.external.ExternalSql;

/**
 * The {@link ExternalSql.Provider} of this module (registered in
 * {@code META-INF/services/org.wwi.external.ExternalSql$Provider}): SQL over external tables through
 * Calcite, loads through binary COPY.
 */
public final class QueryProvider implements ExternalSql.Provider {
    @Override
    public ExternalSql open(ExternalSql.Context context) {
        return new QuerySession(context.catalog(), context.database());
    }
}
