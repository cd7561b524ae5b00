package api

import (
	"hash/maphash"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// rateLimiter gives each IP a token bucket (golang.org/x/time/rate) of
// perMinute requests a minute, with bursts up to a minute's worth.
// Buckets live in this replica's memory; behind N replicas an IP gets up to
// N times the rate, which is the price of keeping replicas stateless.
//
// The addresses are spread over shards, each with its own lock, so that
// one busy address does not serialise everyone. Idle addresses are
// forgotten without ever scanning them: each shard keeps two generations
// of buckets and, once a minute, drops the older one. A bucket untouched
// for a minute has refilled and holds no information, so forgetting it
// changes no answer.
type rateLimiter struct {
	limit  rate.Limit
	burst  int
	shards [64]limiterShard
	seed   maphash.Seed
	now    func() time.Time
}

type limiterShard struct {
	mu       sync.Mutex
	current  map[string]*rate.Limiter
	previous map[string]*rate.Limiter
	rotated  time.Time
}

func newRateLimiter(perMinute int) *rateLimiter {
	l := &rateLimiter{limit: rate.Limit(float64(perMinute) / 60), burst: perMinute, seed: maphash.MakeSeed(), now: time.Now}
	for i := range l.shards {
		l.shards[i].current = map[string]*rate.Limiter{}
	}
	return l
}

// allow takes a token for ip, or says how long until one is free.
func (l *rateLimiter) allow(ip string) (bool, time.Duration) {
	now := l.now()
	sh := &l.shards[maphash.String(l.seed, ip)%uint64(len(l.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.rotated.IsZero() {
		sh.rotated = now
	}
	if now.Sub(sh.rotated) >= time.Minute {
		sh.previous, sh.current, sh.rotated = sh.current, map[string]*rate.Limiter{}, now
	}
	b := sh.current[ip]
	if b == nil {
		if b = sh.previous[ip]; b == nil {
			b = rate.NewLimiter(l.limit, l.burst)
		}
		sh.current[ip] = b
	}
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // refused: the token is not spent
		return false, d
	}
	return true, 0
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
