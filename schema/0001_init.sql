-- talkdex initial schema.
--
-- Catalog tables (series, events, talks and their child rows) are rewritten
-- by imports. Personal tables (ratings, notes, note_revisions, watch) are
-- keyed by talk id and only ever written by the user's own actions or by an
-- import filling a kind of personal data the talk does not have yet.
-- Timestamps are RFC 3339 text in UTC unless a column says otherwise.

CREATE TABLE series (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	series_id  INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	year       INTEGER NOT NULL DEFAULT 0,      -- 0: unknown
	start_at   TEXT,                            -- earliest talk start, with its offset
	start_unix INTEGER,                         -- same instant, sortable
	end_at     TEXT,                            -- latest talk end, with its offset
	UNIQUE (series_id, name)
);
CREATE INDEX events_newest ON events (year DESC, start_unix DESC);

-- Deleting an event must never take talks (and their personal data) with it,
-- so talks restrict rather than cascade.
CREATE TABLE talks (
	id               INTEGER PRIMARY KEY,
	source_key       TEXT    NOT NULL UNIQUE,
	event_id         INTEGER NOT NULL REFERENCES events(id) ON DELETE RESTRICT,
	year             INTEGER NOT NULL DEFAULT 0,
	title            TEXT    NOT NULL,
	abstract         TEXT    NOT NULL DEFAULT '',
	start_at         TEXT,                      -- RFC 3339 with the source's UTC offset
	start_unix       INTEGER,                   -- same instant, sortable
	duration_minutes INTEGER NOT NULL DEFAULT 0,
	track            TEXT    NOT NULL DEFAULT '',
	room             TEXT    NOT NULL DEFAULT '',
	language         TEXT    NOT NULL DEFAULT '',
	source_name      TEXT    NOT NULL DEFAULT '',
	source_url       TEXT    NOT NULL DEFAULT '',
	content_hash     TEXT    NOT NULL,          -- over the source fields only
	withdrawn        INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
	created_at       TEXT    NOT NULL,
	updated_at       TEXT    NOT NULL
);
-- Covers an event's talk count and its span (see events.start_at/end_at).
CREATE INDEX talks_event ON talks (event_id, start_unix, duration_minutes);
CREATE INDEX talks_start ON talks (start_unix);

CREATE TABLE speakers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE talk_speakers (
	talk_id     INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	speaker_id  INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
	affiliation TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (talk_id, position)
) WITHOUT ROWID;
CREATE INDEX talk_speakers_speaker ON talk_speakers (speaker_id);

CREATE TABLE links (
	talk_id  INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	kind     TEXT    NOT NULL,
	url      TEXT    NOT NULL,
	PRIMARY KEY (talk_id, position)
) WITHOUT ROWID;

CREATE TABLE tags (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE talk_tags (
	talk_id  INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	tag_id   INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (talk_id, position)
) WITHOUT ROWID;
CREATE INDEX talk_tags_tag ON talk_tags (tag_id);

-- Personal data. A row with a NULL rating or an empty note is a tombstone:
-- the user cleared it, and an import must not fill it back in.
CREATE TABLE ratings (
	talk_id  INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
	stars    INTEGER CHECK (stars BETWEEN 1 AND 5),
	rated_at TEXT NOT NULL
);

CREATE TABLE notes (
	talk_id    INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
	body       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Every body a note had before it was overwritten or cleared, so that a
-- change can be undone.
CREATE TABLE note_revisions (
	id          INTEGER PRIMARY KEY,
	talk_id     INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	body        TEXT    NOT NULL,
	replaced_at TEXT    NOT NULL
);
CREATE INDEX note_revisions_talk ON note_revisions (talk_id, id);

CREATE TABLE watch (
	talk_id    INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
	watched    INTEGER NOT NULL CHECK (watched IN (0, 1)),
	updated_at TEXT    NOT NULL,
	watched_at TEXT
);

-- The index's to-do list. AUTOINCREMENT so that a seq is never reused after
-- rows are acknowledged and deleted. talk_id has no foreign key: a row must
-- outlive its talk to tell the index to drop it.
CREATE TABLE index_outbox (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	talk_id    INTEGER NOT NULL,
	created_at TEXT    NOT NULL
);
