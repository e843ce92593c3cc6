package compat

// Version ordinals of MQVersion.Version that matter to the protocol.
const (
	// VersionV4_5_2 is what the Go client stamps on its requests.
	VersionV4_5_2 = 317
	// VersionV4_9_4 is the first version the Java NameServer answers with
	// quoted route map keys.
	VersionV4_9_4 = 401
	// VersionV4_9_8 is the last 4.x release.
	VersionV4_9_8 = 409
	// VersionV5_3_3 is the release Booster reports as its own version.
	VersionV5_3_3 = 479
	// CurrentVersion is stamped on every response Booster sends.
	CurrentVersion = VersionV5_3_3
)

// VersionDesc returns the release name of a version ordinal, e.g. "V5_3_3".
func VersionDesc(v int) string {
	switch {
	case v >= 413:
		return releaseName(5, v-413)
	case v >= 213:
		return releaseName(4, v-213)
	}
	return "V_UNKNOWN"
}

func releaseName(major, rest int) string {
	snapshot := rest%2 == 1
	if snapshot {
		rest++
	}
	minor, patch := rest/20, (rest%20)/2
	s := "V" + itoa(major) + "_" + itoa(minor) + "_" + itoa(patch)
	if snapshot {
		s += "_SNAPSHOT"
	}
	return s
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// Language codes of LanguageCode.java, by ordinal.
var languages = [...]string{"JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS", "RUST", "NODE_JS"}

// LanguageName returns the LanguageCode name of a binary language code.
func LanguageName(code byte) string {
	if int(code) < len(languages) {
		return languages[code]
	}
	return "OTHER"
}

// LanguageCode returns the binary code of a LanguageCode name (OTHER when unknown).
func LanguageCode(name string) byte {
	for i, n := range languages {
		if n == name {
			return byte(i)
		}
	}
	return 7
}
