//go:build unix

package main

import (
	"bytes"
	"context"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCollectPoll: what one poll costs collect itself (starting lmutil, reading its
// output, one write and fsync), against what the stand-in lmutil it runs costs: CPU time per
// poll of this process (user + system) and of its children, from getrusage. The stand-in is a
// small Go program that reads and prints a recorded run; a real lmutil also talks to three
// license servers over the network.
func BenchmarkCollectPoll(b *testing.B) {
	bin, _ := fakeLmutil(b)
	b.Setenv("FAKELMUTIL_RUNS", fake.runs)
	b.Setenv("FAKELMUTIL_STATE", b.TempDir())
	dir := b.TempDir()
	var log bytes.Buffer
	clk := &fakeClock{t: kgtnStart(b), stopAt: b.N}
	c := &collector{
		dir: dir, lmutil: bin, args: []string{"lmstat", "-a", "-c", "27001@server1,27001@server2,27001@server3"},
		every: time.Minute, timeout: 20 * time.Second, loc: kgtnStart(b).Location(), log: &log,
		now: clk.now, sleep: clk.sleep,
	}
	self0, kids0 := cpu(syscall.RUSAGE_SELF), cpu(syscall.RUSAGE_CHILDREN)
	b.ResetTimer()
	if err := c.run(context.Background(), context.Background()); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	self, kids := cpu(syscall.RUSAGE_SELF)-self0, cpu(syscall.RUSAGE_CHILDREN)-kids0
	b.ReportMetric(float64(self.Microseconds())/1000/float64(b.N), "collect-cpu-ms/poll")
	b.ReportMetric(float64(kids.Microseconds())/1000/float64(b.N), "lmutil-cpu-ms/poll")
}

func cpu(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
