package emulator

import "net/http"

func (e *Emulator) graph(h http.HandlerFunc) http.HandlerFunc { return h }

func (e *Emulator) graphApplications(w http.ResponseWriter, r *http.Request)      {}
func (e *Emulator) graphServicePrincipals(w http.ResponseWriter, r *http.Request) {}
func (e *Emulator) graphSignIns(w http.ResponseWriter, r *http.Request)           {}
