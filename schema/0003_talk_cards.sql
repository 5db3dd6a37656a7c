-- A talk's speakers, links and source tags, copied into its own row as JSON,
-- so that a page of search results loads one row per talk instead of a
-- lookup in four more tables each. talk_speakers, links and talk_tags stay
-- the record of them (filters and counts read those); the upsert that
-- writes them writes the card in the same transaction.
--
-- {"speakers": [[name, affiliation], ...], "links": [[kind, url], ...],
--  "tags": [name, ...]}, each in position order.
ALTER TABLE talks ADD COLUMN card TEXT;

-- The subqueries are wrapped in json() so that json_object nests their
-- arrays rather than quoting them as text.

UPDATE talks SET card = json_object(
	'speakers', json((SELECT json_group_array(json_array(sp.name, ts.affiliation) ORDER BY ts.position)
		FROM talk_speakers ts JOIN speakers sp ON sp.id = ts.speaker_id WHERE ts.talk_id = talks.id)),
	'links', json((SELECT json_group_array(json_array(l.kind, l.url) ORDER BY l.position)
		FROM links l WHERE l.talk_id = talks.id)),
	'tags', json((SELECT json_group_array(tg.name ORDER BY tt.position)
		FROM talk_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.talk_id = talks.id)));
