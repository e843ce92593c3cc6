package acl

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// addrPattern matches a remote address; nil matches nothing (Apache's
// blank strategy).
type addrPattern func(netip.Addr) bool

// parseAddrPattern reads one whiteRemoteAddress or global white list entry
// (RemoteAddressStrategyFactory's formats).
func parseAddrPattern(s string) (addrPattern, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, nil
	case s == "*" || s == "*.*.*.*" || s == "*:*:*:*:*:*:*:*":
		return func(netip.Addr) bool { return true }, nil
	case strings.HasSuffix(s, "}"):
		i := strings.LastIndexAny(s, ".:")
		if i < 0 || !strings.HasPrefix(s[i+1:], "{") {
			return nil, fmt.Errorf("%w: address %q: braces must hold the last segment", ErrConfig, s)
		}
		if s[i] == '.' && strings.Count(s, ".") != 3 {
			return nil, fmt.Errorf("%w: address %q: an IPv4 address has 4 segments", ErrConfig, s)
		}
		var list []string
		for _, last := range strings.Split(s[i+2:len(s)-1], ",") {
			list = append(list, s[:i+1]+strings.TrimSpace(last))
		}
		return addrSet(s, list)
	case strings.Contains(s, ","):
		return addrSet(s, strings.Split(s, ","))
	case strings.ContainsAny(s, "*-"):
		return addrRange(s)
	}
	return addrSet(s, []string{s})
}

// addrSet matches any of the listed addresses.
func addrSet(pattern string, list []string) (addrPattern, error) {
	set := make(map[netip.Addr]bool, len(list))
	for _, a := range list {
		ip, err := netip.ParseAddr(strings.TrimSpace(a))
		if err != nil {
			return nil, fmt.Errorf("%w: address %q: %q is not an IP address", ErrConfig, pattern, a)
		}
		set[ip.Unmap()] = true
	}
	return func(remote netip.Addr) bool { return set[remote.Unmap()] }, nil
}

// addrRange matches IPv4 addresses segment by segment: a number, "*" or
// "a-b"; missing trailing segments after a "*" are "*".
func addrRange(pattern string) (addrPattern, error) {
	segs := strings.Split(pattern, ".")
	if len(segs) > 4 {
		return nil, fmt.Errorf("%w: address %q: an IPv4 address has 4 segments", ErrConfig, pattern)
	}
	for len(segs) < 4 && segs[len(segs)-1] == "*" {
		segs = append(segs, "*")
	}
	if len(segs) != 4 {
		return nil, fmt.Errorf("%w: address %q: an IPv4 address has 4 segments", ErrConfig, pattern)
	}
	var lo, hi [4]int
	for i, seg := range segs {
		seg = strings.TrimSpace(seg)
		var err1, err2 error
		switch a, b, isRange := strings.Cut(seg, "-"); {
		case seg == "*":
			lo[i], hi[i] = 0, 255
		case isRange:
			lo[i], err1 = strconv.Atoi(a)
			hi[i], err2 = strconv.Atoi(b)
		default:
			lo[i], err1 = strconv.Atoi(seg)
			hi[i] = lo[i]
		}
		if err1 != nil || err2 != nil || lo[i] < 0 || hi[i] > 255 || lo[i] > hi[i] {
			return nil, fmt.Errorf("%w: address %q: bad segment %q", ErrConfig, pattern, seg)
		}
	}
	return func(remote netip.Addr) bool {
		remote = remote.Unmap()
		if !remote.Is4() {
			return false
		}
		b := remote.As4()
		for i := range b {
			if int(b[i]) < lo[i] || int(b[i]) > hi[i] {
				return false
			}
		}
		return true
	}, nil
}
