import GRDB

/// The store's schema, as migrations (each runs once per database file, in order).
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: records, rr schema, full-text index") { db in
            // The records as published or harvested, with their OAI-PMH state. `ivoid` is the
            // lower-cased identifier (IVOA identifiers compare case-insensitively), `identifier`
            // keeps the publisher's spelling for OAI-PMH headers.
            try db.execute(
                sql: """
                    CREATE TABLE records (
                      rid INTEGER PRIMARY KEY,
                      ivoid TEXT NOT NULL UNIQUE,
                      identifier TEXT NOT NULL,
                      xml TEXT,
                      datestamp INTEGER NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'deleted')),
                      origin TEXT NOT NULL,
                      visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
                      content_hash TEXT,
                      res_type TEXT,
                      created TEXT,
                      updated TEXT,
                      CHECK (visibility = 'public' OR origin = 'local')
                    )
                    """)
            try db.execute(sql: "CREATE INDEX records_datestamp ON records (datestamp, ivoid)")
            try db.execute(sql: "CREATE INDEX records_origin ON records (origin)")
            for t in RRTable.allCases {
                for sql in t.ddl { try db.execute(sql: sql) }
            }
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE rr_fts USING fts5(
                      title, short_name, subjects, description, tables,
                      tokenize = 'unicode61 remove_diacritics 2'
                    )
                    """)
            // rr.tap_table (RegTAP 1.2): tables of TAP services, and tables of resources
            // served by a TAP service (relationship isservedby), one row per (svcid, table_name).
            try db.execute(
                sql: """
                    CREATE VIEW rr_tap_table AS
                    SELECT t.ivoid AS svcid, t.ivoid AS resid, t.table_name, t.table_title,
                           t.table_description, t.table_utype, t.table_type, t.nrows
                    FROM rr_res_table AS t
                    WHERE EXISTS (SELECT 1 FROM rr_capability AS c
                                  WHERE c.ivoid = t.ivoid AND c.standard_id LIKE 'ivo://ivoa.net/std/tap%')
                    UNION
                    SELECT r.related_id AS svcid, t.ivoid AS resid, t.table_name, t.table_title,
                           t.table_description, t.table_utype, t.table_type, t.nrows
                    FROM rr_res_table AS t
                    JOIN rr_relationship AS r ON r.ivoid = t.ivoid AND r.relationship_type = 'isservedby'
                    WHERE EXISTS (SELECT 1 FROM rr_capability AS c
                                  WHERE c.ivoid = r.related_id AND c.standard_id LIKE 'ivo://ivoa.net/std/tap%')
                    """)
        }
        HarvestSchema.register(&m)
        m.registerMigration("v3: schema validity of records") { db in
            // NULL: not validated; 0: invalid (kept for RegTAP, never served over OAI-PMH).
            try db.execute(sql: "ALTER TABLE records ADD COLUMN schema_valid INTEGER")
            try db.execute(sql: "ALTER TABLE records ADD COLUMN schema_error TEXT")
            // The record's xs:ID values (space-separated), so an OAI-PMH page never holds two
            // records declaring the same ID (the page would not be schema-valid).
            try db.execute(sql: "ALTER TABLE records ADD COLUMN xml_ids TEXT")
        }
        PublisherSchema.register(&m)
        m.registerMigration("v5: cell index of spatial coverage") { db in
            try SpatialIndex.create(db)
        }
        return m
    }
}
