package sim

import "strings"

// Network partitions (fault kind "partition"). The network cuts one or two servers off from
// the others; every lmgrd keeps running. After one heartbeat timeout each side notices: both
// ends of every link across the cut log "Lost connection to X"; a side left with one running
// server loses its quorum (it is isolated: lmstat gets -20 from it, it serves nothing), a side
// of two that lost its master elects another after the election delay. When the network is
// back the servers across the cut connect again, a few seconds apart; an isolated server is
// joining from its first "Connected to" until it accepts a master (TRIAD.md sections 3 and 4,
// FORMATS.md 1.4).

// cutRec is one partition, for the truth.
type cutRec struct {
	cut      [3]bool
	from, to int64 // to: when the network is back (it may be after the end)
	noticed  int64 // when the sides gave each other up (0: no link crossed the cut)
}

// reach tells whether servers i and j can reach each other now.
func (p *planner) reach(i, j int) bool {
	return !p.cutOn || p.cut[i] == p.cut[j]
}

// cutNames names the servers on one side of a cut ("a", "a and b").
func (p *planner) cutNames(cut [3]bool, side bool) string {
	var names []string
	for i := range p.s {
		if cut[i] == side {
			names = append(names, p.name(i))
		}
	}
	return strings.Join(names, " and ")
}

// namesOf names servers ("a and b").
func (p *planner) namesOf(list []int) string {
	names := make([]string, len(list))
	for k, i := range list {
		names[k] = p.name(i)
	}
	return strings.Join(names, " and ")
}

// partition starts the partition of fault f.
func (p *planner) partition(f *mfault) {
	if p.cutOn && p.cutBy.until <= p.now {
		p.heal(p.cutBy, p.cutID) // it ends in this very second
	}
	if p.cutOn {
		p.fail(f, "another partition is in effect (one at a time: let it end first)")
		return
	}
	t := p.now
	p.cutOn, p.cut, p.cutBy = true, f.cut, f
	p.cutID++
	id := p.cutID
	p.out.cuts = append(p.out.cuts, cutRec{cut: f.cut, from: t, to: f.until})
	p.note(t, -1, "the network cuts %s off from %s (every lmgrd keeps running)", p.cutNames(f.cut, true), p.cutNames(f.cut, false))
	election := durSec(f.Election, p.m.t.election)
	p.at(t+p.m.hbTime, func() {
		if p.cutOn && p.cutID == id {
			p.noticeCut(election)
		}
	})
	p.at(f.until, func() { p.heal(f, id) })
}

// noticeCut: one heartbeat timeout after the cut, both ends of every link across it give up.
func (p *planner) noticeCut(election int64) {
	t := p.now
	var lost [3][]int
	found := false
	for j, s := range p.s {
		if !p.running(j) {
			continue
		}
		for k := range p.s {
			if k != j && p.cut[j] != p.cut[k] && s.conns[k] {
				lost[j] = append(lost[j], k)
				found = true
			}
		}
	}
	if !found {
		return
	}
	p.out.cuts[p.cutID-1].noticed = t
	isolated := p.lose(t, lost)
	// "a and b lose c; c loses a and b": the servers that lost the same peers together
	var groups []string
	done := [3]bool{}
	for j := range p.s {
		if done[j] || len(lost[j]) == 0 {
			continue
		}
		var who []string
		for k := j; k < len(p.s); k++ {
			if !done[k] && len(lost[k]) > 0 && p.namesOf(lost[k]) == p.namesOf(lost[j]) {
				who = append(who, p.name(k))
				done[k] = true
			}
		}
		verb := " loses "
		if len(who) > 1 {
			verb = " lose "
		}
		groups = append(groups, strings.Join(who, " and ")+verb+p.namesOf(lost[j]))
	}
	p.note(t, -1, "after the heartbeat timeout each side gives the other up: %s", strings.Join(groups, "; "))
	for _, j := range isolated {
		p.note(t, j, "%s loses its quorum: isolated, it shuts its vendor daemon down and answers lmstat with -20 (no majority)", p.name(j))
	}
	p.record(t)
	p.maybeElection(t, election)
}

// heal ends the partition: the running servers across the cut connect again, a few seconds
// apart (the cut-off server to each peer in SERVER order).
func (p *planner) heal(f *mfault, id int) {
	if !p.cutOn || p.cutID != id {
		return
	}
	t := p.now
	p.cutOn, p.cut = false, [3]bool{}
	p.note(t, -1, "the network is back: %s can reach %s again", p.cutNames(f.cut, true), p.cutNames(f.cut, false))
	connect := durSec(f.Connect, p.m.t.rejoinConnect)
	join := durSec(f.Join, p.m.t.join)
	k := int64(0)
	for i := range p.s {
		for j := range p.s {
			si, sj := p.s[i], p.s[j]
			if !f.cut[i] || f.cut[j] || !p.running(i) || !p.running(j) || si.conns[j] {
				continue
			}
			for _, x := range []*pserver{si, sj} {
				if x.run == rUp && x.noq {
					x.joinDelay = join
				}
			}
			ei, ej := si.epoch, sj.epoch
			p.at(t+connect+2*k, func() { p.connect(i, j, ei, ej) })
			k++
		}
	}
}

// unisolate: an isolated server that connects to a peer again is joining until it accepts a
// master. Until then lmstat still gets -20 from it (it has no quorum of its own yet).
func (p *planner) unisolate(i int) bool {
	s := p.s[i]
	if s.run == rUp && s.noq {
		s.run, s.reiso, s.view = rJoining, true, -1
		return true
	}
	return false
}

// timeOutAcrossCut: a server that starts while the network cuts it off from running peer j
// cannot complete its connection to j: after 33 s (as a hung return's first attempt) it logs
// "Connection to j TIMED OUT", unless it connected meanwhile. It keeps trying silently.
func (p *planner) timeOutAcrossCut(i, j, ei, ej int) {
	p.at(p.now+33, func() {
		si, sj := p.s[i], p.s[j]
		if si.epoch == ei && sj.epoch == ej && si.run == rJoining && !si.conns[j] && !p.reach(i, j) {
			p.log(i, p.now, dLmgrd, "Connection to "+p.name(j)+" TIMED OUT")
		}
	})
}
