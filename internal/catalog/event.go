package catalog

import "time"

// Series is a recurring meeting: "DENOG", "AusNOG", "PyCon US".
type Series struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	EventCount int    `json:"event_count"`
	TalkCount  int    `json:"talk_count"`
}

// Event is one edition of a series: "DENOG9", "AusNOG 2023".
type Event struct {
	ID        int64     `json:"id"`
	Series    string    `json:"series"`
	Name      string    `json:"name"`
	Year      int       `json:"year,omitempty"`
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	TalkCount int       `json:"talk_count"`
}

// EventFilter narrows ListEvents. Zero values mean "any".
type EventFilter struct {
	Series string
	Year   int
}
