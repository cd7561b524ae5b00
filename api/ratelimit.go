package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// rateLimiter is a per-IP token bucket: each IP may make `perMinute`
// requests a minute, with bursts up to a minute's worth. Buckets live in
// this replica's memory; behind N replicas an IP gets up to N times the
// rate, which is the price of keeping replicas stateless.
type rateLimiter struct {
	perMinute float64
	mu        sync.Mutex
	buckets   map[string]*bucket
	calls     int
	now       func() time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perMinute int) *rateLimiter {
	return &rateLimiter{perMinute: float64(perMinute), buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for ip, or says how long until one is free.
func (l *rateLimiter) allow(ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.calls++
	if l.calls%1024 == 0 {
		l.sweep(now)
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{tokens: l.perMinute, last: now}
		l.buckets[ip] = b
	}
	b.tokens = math.Min(l.perMinute, b.tokens+now.Sub(b.last).Minutes()*l.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perMinute * float64(time.Minute))
	return false, wait
}

// sweep forgets buckets that have refilled: they hold no information.
func (l *rateLimiter) sweep(now time.Time) {
	for ip, b := range l.buckets {
		if now.Sub(b.last) > time.Minute {
			delete(l.buckets, ip)
		}
	}
}

// middleware answers 429 problem+json with Retry-After past the limit.
func (l *rateLimiter) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ok, wait := l.allow(c.RealIP())
		if !ok {
			secs := int(math.Ceil(wait.Seconds()))
			p := newProblem(http.StatusTooManyRequests, "rate-limited",
				"too many requests from this address; retry in "+strconv.Itoa(secs)+" s")
			p.headers = map[string]string{"Retry-After": strconv.Itoa(secs)}
			return p
		}
		return next(c)
	}
}
