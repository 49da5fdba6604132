-- Secrets: the database master key and database scoped credentials, shared by external data
-- sources (PolyBase's CREATE DATABASE SCOPED CREDENTIAL) and elastic-job targets.
-- Nothing here is clear text: the master key is a random AES-256 key stored twice, encrypted
-- by the service key (WWI_SERVICE_KEY or .wwi/service.key, so that agents open it without a
-- password) and by a key derived from the master key password (PBKDF2); each credential
-- secret is AES-GCM-encrypted under the master key with its name as associated data.
create schema if not exists secrets;
comment on schema secrets is 'Master key and credentials, encrypted (see org.wwi.control.SecretStore)';

create table secrets.master_key (
    id                smallint    primary key default 1 check (id = 1),
    key_by_service    bytea       not null,   -- nonce || AES-GCM(service key, master key)
    service_key_id    text        not null,   -- fingerprint of the service key that wrapped it
    key_by_password   bytea       not null,   -- nonce || AES-GCM(PBKDF2(password), master key)
    password_salt     bytea       not null,
    kdf_iterations    integer     not null check (kdf_iterations >= 100000),
    created_at        timestamptz not null default now(),
    reopened_at       timestamptz
);
comment on table secrets.master_key is 'The database master key, encrypted by the service key and by its password';

create table secrets.credential (
    name        text        primary key check (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'),
    identity    text        not null,
    secret      bytea       not null,   -- nonce || AES-GCM(master key, secret, aad = name)
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
comment on table secrets.credential is 'Database scoped credentials; secret encrypted under the master key';
