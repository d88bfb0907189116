//! Test helpers for the PostgreSQL adapter: a fresh, migrated database per test.
//!
//! PostgreSQL tests never skip: without `DATABASE_URL` they fail loudly, so a green run always
//! means the adapter was exercised. The databases are left behind; the cluster is disposable.

use canopy_storage::PostgresStore;
use sqlx::{Connection, PgConnection};
use uuid::Uuid;

/// The server tests create their databases on, from `DATABASE_URL`.
///
/// # Panics
/// When `DATABASE_URL` is not set.
pub fn database_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "DATABASE_URL is not set: PostgreSQL tests never skip. Run `cargo xtask test`, which starts a \
             disposable cluster, or point DATABASE_URL at a server you may create databases on."
        )
    })
}

/// Creates an empty database `canopy_test_<random hex>` on the `DATABASE_URL` server and returns
/// its URL.
///
/// # Panics
/// When the server cannot be reached or refuses to create the database.
pub async fn fresh_database() -> String {
    let url = database_url();
    let name = format!("canopy_test_{}", Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(&url).await.unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL: {e}"));
    // The name is made here of hex digits only, never from outside input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
    // Closing is a courtesy; a failure to say goodbye is no reason to fail a test.
    let _ = conn.close().await;
    with_database(&url, &name)
}

/// A store on a fresh database, migrated.
///
/// # Panics
/// As [`fresh_database`], or when connecting or migrating fails.
pub async fn fresh_postgres_store() -> PostgresStore {
    let url = fresh_database().await;
    let store = PostgresStore::connect(&url).await.unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
    store
}

/// `url` with its database (the path) replaced by `database`, keeping any query string.
fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or_else(|| panic!("DATABASE_URL is not a URL: {url}"));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail.find(['?', '#']).map_or("", |start| &tail[start..]);
    format!("{scheme}://{authority}/{database}{query}")
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced_and_its_query_kept() {
        let cases = [
            ("postgres://u@h:5432/postgres", "postgres://u@h:5432/db"),
            ("postgres://u@h:5432", "postgres://u@h:5432/db"),
            ("postgres://u@h:5432/", "postgres://u@h:5432/db"),
            ("postgres://u:p@h/postgres?sslmode=disable", "postgres://u:p@h/db?sslmode=disable"),
            ("postgresql://u@h?host=/tmp", "postgresql://u@h/db?host=/tmp"),
            ("postgres:///postgres?host=/run/pg", "postgres:///db?host=/run/pg"),
        ];
        for (url, expected) in cases {
            assert_eq!(with_database(url, "db"), expected, "{url}");
        }
    }
}
