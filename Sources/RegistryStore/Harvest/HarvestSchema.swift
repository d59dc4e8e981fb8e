import GRDB

/// The tables of harvesting: peers and their harvest state, the authorities each peer's
/// registry manages, and the identifiers a full harvest in progress has seen.
enum HarvestSchema {
    /// Registers the migration (it runs after "v1").
    static func register(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2: harvest peers, managed authorities, staged full harvests") { db in
            // One row per OAI-PMH endpoint harvested. Its records carry origin = url.
            // `scheduled` = 0 for endpoints only ever harvested by hand (`voreg harvest URL`).
            try db.execute(
                sql: """
                    CREATE TABLE harvest_peers (
                      id INTEGER PRIMARY KEY,
                      url TEXT NOT NULL UNIQUE,
                      set_spec TEXT,
                      interval_seconds INTEGER,
                      scheduled INTEGER NOT NULL DEFAULT 1,
                      added INTEGER NOT NULL,
                      discovered_from TEXT,
                      registry_ivoid TEXT,
                      running_since INTEGER,
                      running_pid INTEGER,
                      last_start INTEGER,
                      last_end INTEGER,
                      last_mode TEXT,
                      last_success INTEGER,
                      last_full_success INTEGER,
                      last_error TEXT,
                      last_error_time INTEGER,
                      last_duration REAL,
                      last_pages INTEGER NOT NULL DEFAULT 0,
                      last_added INTEGER NOT NULL DEFAULT 0,
                      last_updated INTEGER NOT NULL DEFAULT 0,
                      last_unchanged INTEGER NOT NULL DEFAULT 0,
                      last_deleted INTEGER NOT NULL DEFAULT 0,
                      last_rejected INTEGER NOT NULL DEFAULT 0,
                      last_conflicts INTEGER NOT NULL DEFAULT 0,
                      total_added INTEGER NOT NULL DEFAULT 0,
                      total_updated INTEGER NOT NULL DEFAULT 0,
                      total_deleted INTEGER NOT NULL DEFAULT 0,
                      total_rejected INTEGER NOT NULL DEFAULT 0,
                      total_conflicts INTEGER NOT NULL DEFAULT 0,
                      harvests INTEGER NOT NULL DEFAULT 0,
                      failures INTEGER NOT NULL DEFAULT 0,
                      next_run INTEGER,
                      staged_full_start INTEGER
                    )
                    """)
            // authority (lower-cased, without ivo://) → the peer whose registry manages it.
            try db.execute(
                sql: """
                    CREATE TABLE harvest_authorities (
                      authority TEXT PRIMARY KEY,
                      peer_id INTEGER NOT NULL REFERENCES harvest_peers (id) ON DELETE CASCADE,
                      claimed INTEGER NOT NULL
                    )
                    """)
            try db.execute(sql: "CREATE INDEX harvest_authorities_peer ON harvest_authorities (peer_id)")
            // Identifiers a full harvest has received so far; applied (and emptied) only when
            // that harvest completes.
            try db.execute(
                sql: """
                    CREATE TABLE harvest_staged (
                      peer_id INTEGER NOT NULL REFERENCES harvest_peers (id) ON DELETE CASCADE,
                      ivoid TEXT NOT NULL,
                      PRIMARY KEY (peer_id, ivoid)
                    ) WITHOUT ROWID
                    """)
        }
    }
}
