-- The personal layer grows: a to-watch list with dates, the user's own tags,
-- saved searches, where imported notes came from, and what replaced each
-- note revision.

-- NULL when the talk is not on the to-watch list. A watched talk keeps the
-- date it was put on the list.
ALTER TABLE watch ADD COLUMN to_watch_at TEXT;
CREATE INDEX watch_watched_at ON watch (watched_at) WHERE watched = 1;

-- Tags the user gives a talk, apart from the source's own tags (talk_tags),
-- which a re-import rewrites.
CREATE TABLE personal_tags (
	talk_id  INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	tag      TEXT    NOT NULL,
	added_at TEXT    NOT NULL,
	PRIMARY KEY (talk_id, tag)
) WITHOUT ROWID;
CREATE INDEX personal_tags_tag ON personal_tags (tag);

-- A name for a query plus filters; filter is the JSON of catalog.TalkFilter.
CREATE TABLE saved_searches (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	query      TEXT NOT NULL DEFAULT '',
	filter     TEXT NOT NULL DEFAULT '{}',
	sort       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- Each imported note part, once: re-running an import appends nothing
-- twice. digest is over the part's text.
CREATE TABLE note_imports (
	talk_id     INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
	digest      TEXT    NOT NULL,
	source      TEXT    NOT NULL,
	imported_at TEXT    NOT NULL,
	PRIMARY KEY (talk_id, digest)
) WITHOUT ROWID;

-- What replaced a revision's body when it was not the user's own edit.
ALTER TABLE note_revisions ADD COLUMN source TEXT NOT NULL DEFAULT '';
