package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aadsts/aadsts/catalog"
)

type codesView struct {
	Query      string
	Category   string
	Categories []string
	Entries    []catalog.Entry
	Total      int
}

// codes lists the catalog: search by code, name or words; filter by category.
func (s *Server) codes(w http.ResponseWriter, r *http.Request) {
	cat := catalog.Default()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	category := r.URL.Query().Get("category")
	if category != "" && !catalog.IsCategory(category) {
		s.fail(w, r, http.StatusBadRequest, "Unknown category "+strconv.Quote(category)+".", nil)
		return
	}
	var list []catalog.Entry
	if q != "" {
		list = cat.Search(q)
	} else {
		list = cat.All()
	}
	if category != "" {
		filtered := list[:0:0]
		for _, e := range list {
			if e.Category == category {
				filtered = append(filtered, e)
			}
		}
		list = filtered
	}
	s.render(w, r, "codes.html", pageData{Title: "Catalog", Nav: "codes", Data: codesView{
		Query: q, Category: category, Categories: catalog.Categories(), Entries: list, Total: cat.Len(),
	}})
}

type codeView struct {
	Entry   catalog.Entry
	Related []catalog.Entry
}

// code shows one code with its deep guide at a stable address: /codes/{code}.
func (s *Server) code(w http.ResponseWriter, r *http.Request) {
	raw := strings.TrimPrefix(strings.ToUpper(r.PathValue("code")), "AADSTS")
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		s.fail(w, r, http.StatusBadRequest, "Not an AADSTS code: "+strconv.Quote(r.PathValue("code"))+".", nil)
		return
	}
	cat := catalog.Default()
	e, ok := cat.Lookup(n)
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		s.render(w, r, "error.html", pageData{Title: "Unknown code", Error: "AADSTS" + raw +
			" is not in the offline catalog. Microsoft's error page may know it: " + catalog.ErrorURI(n)})
		return
	}
	v := codeView{Entry: e}
	if e.Guide != nil {
		for _, rc := range e.Guide.Related {
			if re, ok := cat.Lookup(rc); ok {
				v.Related = append(v.Related, re)
			}
		}
	}
	s.render(w, r, "code.html", pageData{Title: "AADSTS" + strconv.Itoa(n), Nav: "codes", Data: v})
}
