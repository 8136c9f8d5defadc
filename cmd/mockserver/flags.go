package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// flagSet is a flag.FlagSet whose flags are those of flagDefs, each also
// set by its environment variable; a flag on the command line wins over
// its variable.
type flagSet struct {
	*flag.FlagSet
	cmd  string
	help string            // printed above the flags by --help
	env  map[string]string // flag name -> environment variable
	set  map[string]bool   // flags given on the command line, after parse
}

func newFlagSet(cmd, help string) *flagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, and --help is printed by parse
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, cmd: cmd, help: help, env: map[string]string{}}
}

// The flags of flagDefs, each declared with its help and bound to its
// environment variable.
func (f *flagSet) str(p *string, name, value string) { f.StringVar(p, name, value, f.bind(name, nil)) }
func (f *flagSet) boolean(p *bool, name string)      { f.BoolVar(p, name, false, f.bind(name, nil)) }
func (f *flagSet) integer(p *int, name string, value int) {
	f.IntVar(p, name, value, f.bind(name, nil))
}
func (f *flagSet) duration(p *time.Duration, name string, value time.Duration) {
	f.DurationVar(p, name, value, f.bind(name, nil))
}
func (f *flagSet) value(v flag.Value, name string) { f.Var(v, name, f.bind(name, v)) }

// bind lets name's environment variable set it when the command line
// does not, and returns its help, which says the variable and how it is
// written when that is not as on the command line.
func (f *flagSet) bind(name string, v flag.Value) string {
	def := lookupFlag(name)
	f.env[name] = def.env
	if form, ok := v.(envFormer); ok {
		return def.usage + " (env " + def.env + ", " + form.envForm() + ")"
	}
	if _, ok := v.(envSetter); ok {
		return def.usage + " (env " + def.env + ", comma-separated)"
	}
	return def.usage + " (env " + def.env + ")"
}

// envSetter is a flag.Value that reads its environment variable its own
// way (a comma-separated list, say) rather than as one Set.
type envSetter interface {
	SetEnv(string) error
}

// envFormer is an envSetter whose variable is not a comma-separated
// list: it says what it is, for --help.
type envFormer interface {
	envForm() string
}

// parse reads args, then the environment for the flags args did not give.
// On --help it prints the help to c.stdout and returns flag.ErrHelp; any
// other error is a *usageError.
func (f *flagSet) parse(c *cli, args []string) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.printHelp(c.stdout)
			return flag.ErrHelp
		}
		return &usageError{cmd: f.cmd, err: err}
	}
	f.set = map[string]bool{}
	given := map[string]bool{} // variables one of whose flags is on the command line
	f.Visit(func(fl *flag.Flag) {
		f.set[fl.Name] = true
		given[f.env[fl.Name]] = true
	})
	for _, name := range slices.Sorted(maps.Keys(f.env)) {
		env := f.env[name]
		v := c.getenv(env)
		if given[env] || v == "" {
			continue
		}
		given[env] = true // read once, for a variable two flags share
		value := f.Lookup(name).Value
		var err error
		if es, ok := value.(envSetter); ok {
			err = es.SetEnv(v)
		} else {
			err = value.Set(v)
		}
		if err != nil {
			return usagef(f.cmd, "environment variable %s=%q: %v", env, v, err)
		}
	}
	return nil
}

func (f *flagSet) printHelp(w io.Writer) {
	fmt.Fprint(w, f.help)
	has := false
	f.VisitAll(func(*flag.Flag) { has = true })
	if !has {
		return
	}
	fmt.Fprint(w, "\nFlags (a flag wins over its environment variable):\n")
	f.VisitAll(func(fl *flag.Flag) {
		arg, usage := flag.UnquoteUsage(fl)
		line := "  --" + fl.Name
		if arg != "" {
			line += " " + arg
		}
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" {
			usage += fmt.Sprintf(" (default %q)", fl.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, usage)
	})
}

// helpOK turns the flag.ErrHelp of a --help into success.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// pair is one NAME=VALUE of a repeatable flag.
type pair struct{ name, value string }

// pairsValue is a repeatable NAME=VALUE flag; its environment variable is
// a comma-separated list.
type pairsValue struct {
	what  string // "FILE", "PREFIX": what VALUE is, for messages
	pairs []pair
}

func (p *pairsValue) String() string {
	if p == nil {
		return ""
	}
	parts := make([]string, len(p.pairs))
	for i, x := range p.pairs {
		parts[i] = x.name + "=" + x.value
	}
	return strings.Join(parts, ",")
}

// checkAPIName holds an API name to the rule its message states: the
// name becomes a path segment, a file name and a dashboard label, where
// "..", "/" or "<" would mean something else.
func checkAPIName(name string) error {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		return fmt.Errorf("API name %q: use letters, digits, '-' or '_'", name)
	}
	return nil
}

func (p *pairsValue) Set(s string) error {
	name, value, ok := strings.Cut(strings.TrimSpace(s), "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !ok || name == "" || value == "" {
		return fmt.Errorf("want NAME=%s, got %q", p.what, s)
	}
	if err := checkAPIName(name); err != nil {
		return err
	}
	for _, x := range p.pairs {
		if x.name == name {
			return fmt.Errorf("%s is given twice", name)
		}
	}
	p.pairs = append(p.pairs, pair{name, value})
	return nil
}

func (p *pairsValue) SetEnv(s string) error {
	for _, item := range strings.Split(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		if err := p.Set(item); err != nil {
			return err
		}
	}
	return nil
}

func (p *pairsValue) toMap() map[string]string {
	if len(p.pairs) == 0 {
		return nil
	}
	m := make(map[string]string, len(p.pairs))
	for _, x := range p.pairs {
		m[x.name] = x.value
	}
	return m
}

// choiceValue is a string flag limited to a few values.
type choiceValue struct {
	value   string
	choices []string
}

func (c *choiceValue) String() string {
	if c == nil {
		return ""
	}
	return c.value
}

func (c *choiceValue) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	if !slices.Contains(c.choices, s) {
		return fmt.Errorf("want one of %s", strings.Join(c.choices, ", "))
	}
	c.value = s
	return nil
}

// byteSize is a size in bytes, written as a plain number or with a unit:
// 512KiB, 1MiB, 2MB.
type byteSize int64

var byteUnits = []struct {
	suffix string
	factor int64
}{ // longest suffixes first, so "KiB" is not read as "B"
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

func (b *byteSize) String() string {
	if b == nil {
		return "0"
	}
	n := int64(*b)
	for _, u := range []struct {
		suffix string
		factor int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.factor == 0 {
			return strconv.FormatInt(n/u.factor, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Set(s string) error {
	n, err := parseByteSize(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseByteSize(s string) (int64, error) {
	text := strings.ToLower(strings.TrimSpace(s))
	factor := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(text, u.suffix) {
			text, factor = strings.TrimSpace(strings.TrimSuffix(text, u.suffix)), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size such as 1048576, 512KiB or 1MiB, got %q", s)
	}
	if n > (1<<62)/factor {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return n * factor, nil
}

// namesValue is a repeatable flag of API names, each use possibly a
// comma-separated list, as is its environment variable.
type namesValue struct {
	names []string
}

func (n *namesValue) String() string {
	if n == nil {
		return ""
	}
	return strings.Join(n.names, ",")
}

func (n *namesValue) Set(s string) error {
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name == "":
		case checkAPIName(name) != nil:
			return checkAPIName(name)
		case slices.Contains(n.names, name):
			return fmt.Errorf("%s is given twice", name)
		default:
			n.names = append(n.names, name)
		}
	}
	return nil
}

func (n *namesValue) SetEnv(s string) error { return n.Set(s) }
