package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/sfn-tool/sfn/render"
	"github.com/sfn-tool/sfn/suite"
)

// readCoverage reads an sfn test --coverage-profile file and picks the entry of the machine drawn
// (file and logical id; the only entry when the profile has one).
func readCoverage(name, machine, logicalID, baseDir, root string) (*render.Coverage, error) {
	path, data, err := readHistoryFile(name, baseDir, root)
	if err != nil {
		return nil, err
	}
	var p suite.Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: not a coverage profile (sfn test --coverage-profile): %v", path, err)}
	}
	var pick *suite.Coverage
	for _, c := range p.Machines {
		if c != nil && sameFile(c.File, machine) && (logicalID == "" || c.StateMachine == logicalID) {
			pick = c
			break
		}
	}
	if pick == nil && len(p.Machines) == 1 {
		pick = p.Machines[0]
	}
	if pick == nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: no coverage of %s (the profile has %d machines)", path, machine, len(p.Machines))}
	}
	cov := &render.Coverage{States: map[string]bool{}, Edges: map[render.CoverEdge]bool{}}
	for _, s := range pick.States {
		if s != nil && s.Entered > 0 {
			cov.States[s.Name] = true
		}
	}
	kinds := map[string]render.EdgeKind{suite.KindNext: render.EdgeNext, suite.KindChoice: render.EdgeChoice, suite.KindDefault: render.EdgeDefault, suite.KindCatch: render.EdgeCatch}
	for _, t := range pick.Transitions {
		if k, ok := kinds[t.Kind]; ok && t.Taken > 0 {
			cov.Edges[render.CoverEdge{From: t.From, To: t.To, Kind: k}] = true
		}
	}
	return cov, nil
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}
