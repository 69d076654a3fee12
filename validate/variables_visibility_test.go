package validate

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// refVisible is the definition varVisibility implements, computed directly: the variables assigned by
// states that reach st (one or more transitions) in its scope or reach an enclosing Parallel/Map
// state in that state's scope.
func refVisible(st *asl.State, byState map[*asl.State][]string) map[string]bool {
	out := map[string]bool{}
	for cur := st; cur != nil; cur = cur.Scope.Parent {
		for _, p := range cur.Scope.States {
			if reaches(p, cur) {
				for _, n := range byState[p] {
					out[n] = true
				}
			}
		}
	}
	return out
}

// reaches reports whether to can be reached from from by one or more transitions.
func reaches(from, to *asl.State) bool {
	seen := map[*asl.State]bool{}
	stack := append([]*asl.State(nil), from.Next()...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s == to {
			return true
		}
		if !seen[s] {
			seen[s] = true
			stack = append(stack, s.Next()...)
		}
	}
	return false
}

// randomScope writes a States scope of random Pass, Choice, Parallel and Map states with random
// transitions and Assigns of the variables a..d.
func randomScope(r *rand.Rand, b *strings.Builder, prefix string, depth int) {
	n := 1 + r.Intn(6)
	name := func(i int) string { return prefix + strconv.Itoa(i) }
	b.WriteString(`{"StartAt":"` + name(r.Intn(n)) + `","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + name(i) + `":{`)
		kind := r.Intn(5)
		switch {
		case kind == 0:
			b.WriteString(`"Type":"Choice","Default":"` + name(r.Intn(n)) + `","Choices":[{"Variable":"$","IsNull":true,"Next":"` + name(r.Intn(n)) + `"}]`)
		case kind == 1 && depth < 3:
			b.WriteString(`"Type":"Parallel","Branches":[`)
			randomScope(r, b, prefix+strconv.Itoa(i)+"a", depth+1)
			b.WriteByte(',')
			randomScope(r, b, prefix+strconv.Itoa(i)+"b", depth+1)
			b.WriteString(`],`)
		case kind == 2 && depth < 3:
			b.WriteString(`"Type":"Map","ItemProcessor":`)
			randomScope(r, b, prefix+strconv.Itoa(i)+"m", depth+1)
			b.WriteString(`,`)
		default:
			b.WriteString(`"Type":"Pass",`)
		}
		if kind != 0 {
			if r.Intn(2) == 0 {
				b.WriteString(`"Assign":{"` + string(rune('a'+r.Intn(4))) + `":1},`)
			}
			if r.Intn(4) == 0 {
				b.WriteString(`"End":true`)
			} else {
				b.WriteString(`"Next":"` + name(r.Intn(n)) + `"`)
			}
		}
		b.WriteString(`}`)
	}
	b.WriteString(`}}`)
}

// TestVarVisibilityMatchesDefinition compares varVisibility with the direct definition on random
// machines, for every state and variable, with the backward probe and with the per-name index only.
func TestVarVisibilityMatchesDefinition(t *testing.T) {
	saved := visibleProbe
	defer func() { visibleProbe = saved }()
	r := rand.New(rand.NewSource(1))
	for iter := 0; iter < 300; iter++ {
		visibleProbe = []int{saved, 1}[iter%2]
		var b strings.Builder
		randomScope(r, &b, "s", 0)
		doc, err := load.Parse("r.json", []byte(b.String()), load.JSON)
		if err != nil {
			t.Fatal(err)
		}
		m := asl.Build(doc)
		c := &Context{Machine: m, Doc: doc, Opts: &Options{}}
		vars := assignedVars(c)
		byState := map[*asl.State][]string{}
		for _, v := range vars {
			byState[v.Assign.State] = append(byState[v.Assign.State], v.Name)
		}
		vis := newVarVisibility(m, vars)
		var qs []varQuery
		for _, name := range []string{"a", "b", "c", "d"} {
			for _, st := range m.All {
				qs = append(qs, varQuery{st, name})
			}
		}
		all := vis.visibleAll(m, qs)
		for qi, q := range qs {
			if want := refVisible(q.st, byState)[q.name]; all[qi] != want {
				t.Fatalf("machine %d, state %s, $%s: visibleAll %v, want %v\n%s", iter, q.st.Name, q.name, all[qi], want, b.String())
			}
		}
		for _, name := range []string{"a", "b", "c", "d"} {
			for _, st := range m.All {
				want := refVisible(st, byState)[name]
				by := vis.before(st, name)
				if (by != nil) != want {
					t.Fatalf("machine %d, state %s, $%s: visible %v, want %v\n%s", iter, st.Name, name, by != nil, want, b.String())
				}
				if by != nil && !vis.assigns(by, name) {
					t.Fatalf("machine %d, state %s, $%s: attributed to %s, which does not assign it", iter, st.Name, name, by.Name)
				}
			}
		}
	}
}
