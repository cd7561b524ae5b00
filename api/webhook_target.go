package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// errPrivateTarget refuses a connection to an address a webhook must not
// reach.
var errPrivateTarget = errors.New("the target is a loopback, private or link-local address; set BRANDLIFT_WEBHOOK_ALLOW_PRIVATE=true for receivers on your own network")

// sharedAddressSpace is 100.64.0.0/10 (RFC 6598, carrier-grade NAT), which
// net.IP's predicates do not cover.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// privateIP reports whether a webhook may not reach ip by default:
// loopback, private (RFC 1918, fc00::/7), link-local, unspecified,
// multicast, carrier-grade NAT, or IPv4 addresses mapped into IPv6.
func privateIP(ip net.IP) bool {
	if ip == nil {
		return true
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return true
	}
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() ||
		a.IsUnspecified() || a.IsMulticast() || sharedAddressSpace.Contains(a) || (a.Is4() && a.As4()[0] == 0)
}

// checkTarget resolves a webhook's host when it is created, so that a
// target that cannot be reached is refused with a clear problem then and
// not discovered at the first event. The dialer checks again on every
// connection (the name may resolve elsewhere later).
func checkTarget(ctx context.Context, raw string, allowPrivate bool) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a URL"
	}
	host := u.Hostname()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return fmt.Sprintf("host %q does not resolve", host)
	}
	if allowPrivate {
		return ""
	}
	for _, a := range addrs {
		if privateIP(a.IP) {
			return fmt.Sprintf("host %q is %s, a loopback, private or link-local address; webhooks reach public addresses only unless BRANDLIFT_WEBHOOK_ALLOW_PRIVATE=true", host, a.IP)
		}
	}
	return ""
}

// guardedDialer connects only to addresses a webhook may reach, checked on
// the resolved address itself, so that neither a name that resolves to an
// internal address nor a redirect can point a webhook inside.
func guardedDialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if privateIP(net.ParseIP(host)) {
				return errPrivateTarget
			}
			return nil
		}
	}
	return d
}
