package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// statements holds the reader pool's prepared statements for the queries
// every search runs: each page of results loads its talks with five
// queries, and parsing and planning them again each time cost about as much
// as running them (0.5 ms of a 1.2 ms load at 100k talks).
//
// All are prepared when the store opens. Preparing one later, inside a read
// transaction, would take a second connection from the pool while the
// transaction holds the first: with every connection held that way, each
// would wait for another forever.
type statements struct {
	byText map[string]*sql.Stmt
}

// prepareStatements prepares texts on db. A text that does not prepare
// (a database left at an older schema by a test) is run unprepared, which
// reports the same error when a read needs it.
func prepareStatements(ctx context.Context, db *sql.DB, texts []string) (*statements, error) {
	c := &statements{byText: make(map[string]*sql.Stmt, len(texts))}
	for _, text := range texts {
		if _, ok := c.byText[text]; ok {
			continue
		}
		st, err := db.PrepareContext(ctx, text)
		if err != nil {
			if ctx.Err() != nil {
				c.close()
				return nil, fmt.Errorf("prepare queries: %w", ctx.Err())
			}
			continue
		}
		c.byText[text] = st
	}
	return c, nil
}

// query runs text in tx, through its prepared statement if it has one. A
// transaction's copy of a statement reuses what was prepared on the
// transaction's connection, or prepares it there, on that same connection.
// A nil receiver runs every text unprepared (transactions of the writer).
func (c *statements) query(ctx context.Context, tx *sql.Tx, text string, args ...any) (*sql.Rows, error) {
	if c != nil {
		if st, ok := c.byText[text]; ok {
			return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		}
	}
	return tx.QueryContext(ctx, text, args...)
}

// close closes every statement; the pool is closed after it.
func (c *statements) close() error {
	var errs []error
	for _, st := range c.byText {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// jsonIDs renders ids as a JSON array, for json_each(?): one bound
// parameter whatever the number of ids, so the query text stays fixed and
// its prepared statement is reused.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*7)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
