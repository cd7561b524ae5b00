package main

import (
	"runtime/debug"
	"strings"
)

// buildVersion is set at link time: -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

// version reports the release and the commit it was built from: the link
// time version if any, else the module version (v1.2.3 when installed with
// go install ...@v1.2.3, "devel" for a build from a clone), then the VCS
// revision, commit time and whether the tree had changes, from the build
// information Go embeds (go build stamps it unless -buildvcs=false; go run
// does not). "dev" alone when nothing is known.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return versionOf(buildVersion, nil)
	}
	return versionOf(buildVersion, info)
}

// versionOf formats the version from what the build says of itself.
func versionOf(linked string, info *debug.BuildInfo) string {
	v := linked
	var rev, when string
	dirty := false
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	// A release's module version; a build from a clone gets a
	// pseudo-version made of the revision, which says nothing more.
	if info != nil && v == "" {
		if mv := info.Main.Version; mv != "" && mv != "(devel)" && (len(rev) < 12 || !strings.Contains(mv, rev[:12])) {
			v = mv
		}
	}
	switch {
	case v == "" && rev == "":
		return "dev"
	case rev == "":
		return v
	case v == "":
		v = "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v += " (" + rev
	if when != "" {
		v += ", " + when
	}
	if dirty {
		v += ", modified"
	}
	return v + ")"
}
