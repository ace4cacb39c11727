package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aadsts/aadsts/signins"
)

// Report groups the matching sign-ins. Groupings by code, app, day and hour
// read the hourly rollup kept at import when the time bounds fall on whole
// hours; every other report scans the sign-ins.
func (s *Store) Report(ctx context.Context, q signins.Query) ([]signins.Group, error) {
	var (
		query string
		args  []any
	)
	if s.rollupServes(ctx, q) {
		query, args = rollupQuery(q)
	} else {
		var err error
		if query, args, err = scanQuery(q); err != nil {
			return nil, err
		}
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("report by %s: %w", q.By, err)
	}
	defer rows.Close()
	var out []signins.Group
	for rows.Next() {
		var g signins.Group
		var key sql.NullString
		var label sql.NullString
		var first, last int64
		if err := rows.Scan(&key, &label, &g.Count, &g.Failures, &g.Interrupts, &first, &last); err != nil {
			return nil, fmt.Errorf("report by %s: %w", q.By, err)
		}
		g.Key, g.Label = key.String, label.String
		g.First, g.Last = time.Unix(0, first).UTC(), time.Unix(0, last).UTC()
		switch q.By {
		case signins.ByCode:
			g.Code, _ = strconv.Atoi(g.Key)
		case signins.ByDay, signins.ByHour:
			n, _ := strconv.ParseInt(g.Key, 10, 64)
			unit := hourNS
			if q.By == signins.ByDay {
				unit = 24 * hourNS
			}
			g.Key = time.Unix(0, n*unit).UTC().Format(time.RFC3339)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *Store) rollupServes(ctx context.Context, q signins.Query) bool {
	switch q.By {
	case signins.ByCode, signins.ByApp, signins.ByDay, signins.ByHour:
	default:
		return false
	}
	whole := func(t time.Time) bool { return t.IsZero() || t.UnixNano()%hourNS == 0 }
	if !whole(q.Since) || !whole(q.Until) {
		return false
	}
	// Apps given by name need the sign-ins' names.
	for _, a := range q.Apps {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM apps WHERE app_id = ?`, a).Scan(&n); err != nil || n == 0 {
			return false
		}
	}
	return true
}

const aggCols = `, sum(n), sum(CASE WHEN outcome = 'failure' THEN n ELSE 0 END),
	sum(CASE WHEN outcome = 'interrupt' THEN n ELSE 0 END), min(first), max(last)`

// rollupWhere is the WHERE clause of f over the rollup, whose time bounds
// rollupServes found on whole hours.
func rollupWhere(f signins.Filter) (string, []any) {
	conds, args := rollupConds(f)
	if !f.Since.IsZero() {
		conds, args = append(conds, "hour >= ?"), append(args, f.Since.UnixNano()/hourNS)
	}
	if !f.Until.IsZero() {
		conds, args = append(conds, "hour < ?"), append(args, f.Until.UnixNano()/hourNS)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func rollupQuery(q signins.Query) (string, []any) {
	where, args := rollupWhere(q.Filter)
	var key, label string
	switch q.By {
	case signins.ByCode:
		key, label = "r.code", "''"
	case signins.ByApp:
		key, label = "r.app_id", "(SELECT name FROM apps WHERE apps.app_id = r.app_id)"
	case signins.ByDay:
		key, label = "(r.hour / 24)", "''"
	default:
		key, label = "r.hour", "''"
	}
	order := orderOf(q.By)
	return `SELECT ` + key + `, ` + label + aggCols + " FROM rollup r" + where + ` GROUP BY ` + key + order, args
}

// scanQuery groups the signins table. Groupings by a string group its
// strs ids and name them after (one lookup per group, not per row); the
// label is the largest of the group's names, as a string.
func scanQuery(q signins.Query) (string, []any, error) {
	var key, label string
	switch q.By {
	case signins.ByCode:
		key = "code"
	case signins.ByApp:
		key, label = "app", "app_name"
	case signins.BySP:
		key, label = "sp", "sp_name"
	case signins.ByResource:
		key, label = "resource", "resource_name"
	case signins.ByCredential:
		key, label = "cred", "cred_type"
	case signins.ByIP:
		key = "ip"
	case signins.ByDay:
		key = "(time / 86400000000000)"
	case signins.ByHour:
		key = "(time / 3600000000000)"
	default:
		return "", nil, fmt.Errorf("report: unknown grouping %q", q.By)
	}
	outcome := func(o signins.Outcome) string {
		return "sum(outcome = coalesce((SELECT id FROM strs WHERE s = '" + string(o) + "'), -1))"
	}
	where, args := whereOf(q.Filter)
	counts := `count(*) AS n, ` + outcome(signins.OutcomeFailure) + ` AS f, ` + outcome(signins.OutcomeInterrupt) +
		` AS i, min(time) AS lo, max(time) AS hi FROM signins` + where
	switch {
	case label != "":
		// Grouped by (key, name) first, few pairs, then by key with the
		// largest name string: a named row beats an unnamed one.
		inner := `SELECT ` + key + ` AS k, ` + label + ` AS l, ` + counts + ` GROUP BY 1, 2`
		return `SELECT ks.s, max(ls.s), sum(g.n), sum(g.f), sum(g.i), min(g.lo), max(g.hi) FROM (` + inner +
			`) g JOIN strs ks ON ks.id = g.k LEFT JOIN strs ls ON ls.id = g.l GROUP BY g.k` + orderOf(q.By), args, nil
	case q.By == signins.ByIP:
		return `SELECT ks.s, '', g.n, g.f, g.i, g.lo, g.hi FROM (SELECT ` + key + ` AS k, ` + counts +
			` GROUP BY 1) g JOIN strs ks ON ks.id = g.k` + orderOf(q.By), args, nil
	}
	return `SELECT ` + key + `, '', ` + counts + ` GROUP BY 1` + orderOf(q.By), args, nil
}

// orderOf sorts time groupings by time and the others by count.
func orderOf(by signins.By) string {
	if by == signins.ByDay || by == signins.ByHour {
		return " ORDER BY 1"
	}
	return " ORDER BY 3 DESC, 1"
}
