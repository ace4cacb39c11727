// Command importprof imports one log file into a fresh store with a CPU
// profile, for finding where the import spends its time:
//
//	go run ./bench/logs/importprof -db /tmp/x.db [-batch N] [-keep] [-cpuprofile cpu.out] sp.log
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/aadsts/aadsts/signins"
	"github.com/aadsts/aadsts/signins/sqlstore"
)

func main() {
	db := flag.String("db", "", "store file (removed first)")
	prof := flag.String("cpuprofile", "", "write a CPU profile here")
	batch := flag.Int("batch", 0, "records per transaction (0: signins.Import's default)")
	keep := flag.Bool("keep", false, "import into the store as it is (a re-import), not a fresh one")
	flag.Parse()
	if err := run(*db, *prof, *batch, *keep, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(db, prof string, batch int, keep bool, file string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if !keep {
			os.Remove(db + suffix)
		}
	}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if prof != "" {
		p, err := os.Create(prof)
		if err != nil {
			return err
		}
		defer p.Close()
		if err := pprof.StartCPUProfile(p); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	res, err := signins.Import(ctx, s, f, file, signins.ImportOptions{BatchSize: batch})
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Printf("%d records in %v: %.0f records/s (added %d, duplicates %d)\n", res.Read, d.Round(time.Millisecond), float64(res.Read)/d.Seconds(), res.SignInsAdded, res.Duplicates)
	return nil
}
