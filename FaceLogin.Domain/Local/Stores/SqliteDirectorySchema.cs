namespace FaceLogin.Domain.Local.Stores;

/// <summary>
/// The directory's schema, as an ordered list of migrations. Never edit a released step: add the next one.
/// Times are INTEGER unix milliseconds (UTC) everywhere; ids are lower-case GUID strings; outcomes are enum names, so a
/// reordered enum cannot change what old rows mean.
/// </summary>
internal static class SqliteDirectorySchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "people, faces, login attempts", """
            CREATE TABLE people (
                seq             INTEGER PRIMARY KEY, -- stable rowid for the name search index
                id              TEXT    NOT NULL UNIQUE,
                full_name       TEXT    NOT NULL,
                name_key        TEXT    NOT NULL,    -- full_name upper-cased (invariant): what search and sorting use
                registered_at   INTEGER NOT NULL,
                consented_at    INTEGER NOT NULL,
                consent_version TEXT    NOT NULL,
                is_admin        INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
                last_sign_in_at INTEGER
            );
            CREATE INDEX people_by_name ON people (name_key, registered_at);
            CREATE INDEX people_admins ON people (is_admin) WHERE is_admin = 1;

            -- Substring search on names: a trigram index answers "contains" for three characters or more.
            CREATE VIRTUAL TABLE people_name_search USING fts5 (name_key, content = 'people', content_rowid = 'seq', tokenize = 'trigram');
            CREATE TRIGGER people_name_search_insert AFTER INSERT ON people BEGIN
                INSERT INTO people_name_search (rowid, name_key) VALUES (new.seq, new.name_key);
            END;
            CREATE TRIGGER people_name_search_delete AFTER DELETE ON people BEGIN
                INSERT INTO people_name_search (people_name_search, rowid, name_key) VALUES ('delete', old.seq, old.name_key);
            END;
            CREATE TRIGGER people_name_search_update AFTER UPDATE OF name_key ON people BEGIN
                INSERT INTO people_name_search (people_name_search, rowid, name_key) VALUES ('delete', old.seq, old.name_key);
                INSERT INTO people_name_search (rowid, name_key) VALUES (new.seq, new.name_key);
            END;

            CREATE TABLE faces (
                face_id     TEXT    PRIMARY KEY,
                person_id   TEXT    NOT NULL REFERENCES people (id) ON DELETE CASCADE,
                image_key   TEXT    NOT NULL UNIQUE,
                box_left    REAL    NOT NULL,
                box_top     REAL    NOT NULL,
                box_width   REAL    NOT NULL,
                box_height  REAL    NOT NULL,
                indexed_at  INTEGER NOT NULL
            );
            CREATE INDEX faces_by_person ON faces (person_id, indexed_at);

            CREATE TABLE login_attempts (
                seq            INTEGER PRIMARY KEY,
                id             TEXT    NOT NULL UNIQUE,
                at             INTEGER NOT NULL,
                outcome        TEXT    NOT NULL,
                person_id      TEXT    REFERENCES people (id) ON DELETE SET NULL,
                similarity     REAL,
                client_address TEXT    NOT NULL
            );
            CREATE INDEX login_attempts_by_time ON login_attempts (at, seq);
            CREATE INDEX login_attempts_by_client ON login_attempts (client_address, at);
            CREATE INDEX login_attempts_by_person ON login_attempts (person_id) WHERE person_id IS NOT NULL;
            """),
        new(2, "lock-out's attempts in progress; the first-person marker", """
            -- Attempts that passed the lock-out gate and are still being decided: they count towards lock-out like failures
            -- until recorded (see TryStartLoginAttemptAsync), so concurrent attempts cannot all pass the gate at once.
            CREATE TABLE login_attempts_in_progress (
                id             TEXT    PRIMARY KEY,
                client_address TEXT    NOT NULL,
                at             INTEGER NOT NULL
            );
            CREATE INDEX login_attempts_in_progress_by_client ON login_attempts_in_progress (client_address, at);

            -- One row once the directory has held a person: a sign-up is made admin by being first only while it is missing.
            -- Written in the same transaction as each new person (AddPersonAsync), instead of counting people on every sign-up.
            CREATE TABLE first_person_marker (
                id         INTEGER PRIMARY KEY CHECK (id = 1),
                written_at INTEGER NOT NULL
            );
            INSERT INTO first_person_marker (id, written_at) SELECT 1, MIN(registered_at) FROM people HAVING COUNT(*) > 0;
            """),
        new(3, "a session version per person", """
            -- Raised when the person signs out: every sign-in issued at an older version stops working (Person.SessionVersion).
            ALTER TABLE people ADD COLUMN session_version INTEGER NOT NULL DEFAULT 0;
            """),
        new(4, "face records by collection generation; the active generation and the re-index in progress", """
            -- A re-index writes the next generation's face records beside the active one's (ICollectionGenerations), so a photo
            -- has one record per generation: the image key is unique within a generation. SQLite cannot change a column's
            -- constraint in place, so the table is rebuilt (nothing refers to faces; faces refer to people).
            CREATE TABLE faces_by_generation (
                face_id     TEXT    PRIMARY KEY,
                person_id   TEXT    NOT NULL REFERENCES people (id) ON DELETE CASCADE,
                image_key   TEXT    NOT NULL,
                box_left    REAL    NOT NULL,
                box_top     REAL    NOT NULL,
                box_width   REAL    NOT NULL,
                box_height  REAL    NOT NULL,
                indexed_at  INTEGER NOT NULL,
                generation  INTEGER NOT NULL DEFAULT 0,
                UNIQUE (generation, image_key)
            );
            INSERT INTO faces_by_generation (face_id, person_id, image_key, box_left, box_top, box_width, box_height, indexed_at, generation)
            SELECT face_id, person_id, image_key, box_left, box_top, box_width, box_height, indexed_at, 0 FROM faces;
            DROP TABLE faces;
            ALTER TABLE faces_by_generation RENAME TO faces;
            CREATE INDEX faces_by_person ON faces (generation, person_id, indexed_at);

            -- The active generation once a re-index has switched (absent: generation 0 in the configured collection).
            -- retained: collections kept after a switch, one id per line, until reindex --delete-old deletes them.
            CREATE TABLE collection_generation (
                id                  INTEGER PRIMARY KEY CHECK (id = 1),
                number              INTEGER NOT NULL,
                collection_id       TEXT    NOT NULL,
                model_version       TEXT,
                since               INTEGER NOT NULL,
                previous_generation INTEGER,
                retained            TEXT    NOT NULL DEFAULT ''
            );

            -- The re-index in progress, if any: the generation it builds, into which collection, with which model.
            CREATE TABLE reindex_target (
                id            INTEGER PRIMARY KEY CHECK (id = 1),
                generation    INTEGER NOT NULL,
                collection_id TEXT    NOT NULL,
                model_version TEXT    NOT NULL,
                started_at    INTEGER NOT NULL
            );
            """),
        new(5, "near-matches and face sign-in suspension per person", """
            -- Failed sign-ins whose best candidate was this person, just below the threshold, since their last sign-in; at the
            -- cap face sign-in is suspended (the time it was) until an admin re-enables it (IFaceDirectory.RecordNearMatchAsync).
            ALTER TABLE people ADD COLUMN failed_near_matches INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE people ADD COLUMN face_sign_in_suspended_at INTEGER;
            """),
        new(6, "which liveness check refused an attempt", """
            -- For outcome NotLive (and a burst refused before any face question): the LivenessRefusal's name; NULL otherwise.
            ALTER TABLE login_attempts ADD COLUMN liveness_refusal TEXT;
            """),
    ];
}
