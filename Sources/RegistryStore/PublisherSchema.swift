import GRDB

/// Tables of the publishing side (issue 5): accounts, the authorities each may publish under,
/// and bearer tokens (stored as SHA-256 hashes, never in clear).
enum PublisherSchema {
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4: publisher accounts and tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE publisher_accounts (
                      name TEXT PRIMARY KEY,
                      password_hash TEXT NOT NULL,
                      created INTEGER NOT NULL
                    )
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE publisher_authorities (
                      name TEXT NOT NULL REFERENCES publisher_accounts(name) ON DELETE CASCADE,
                      authority TEXT NOT NULL,
                      PRIMARY KEY (name, authority)
                    )
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE publisher_tokens (
                      token_hash TEXT PRIMARY KEY,
                      name TEXT NOT NULL REFERENCES publisher_accounts(name) ON DELETE CASCADE,
                      created INTEGER NOT NULL,
                      expires INTEGER NOT NULL,
                      revoked INTEGER
                    )
                    """)
            try db.execute(sql: "CREATE INDEX publisher_tokens_name ON publisher_tokens (name)")
            // Records built from a service's VOSI documents, re-read by `voreg serve`.
            try db.execute(
                sql: """
                    CREATE TABLE publisher_vosi_sources (
                      ivoid TEXT PRIMARY KEY,
                      url TEXT NOT NULL,
                      title TEXT,
                      visibility TEXT NOT NULL DEFAULT 'public',
                      last_check INTEGER,
                      last_available INTEGER,
                      last_error TEXT
                    )
                    """)
        }
    }
}
