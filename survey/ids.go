package survey

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// crockford is the alphabet of time-ordered ids: no I, L, O or U, so that an
// id read aloud or typed by hand is not mistaken.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns a 26-character, time-ordered, random id (the ULID layout: 48
// bits of milliseconds then 80 random bits). Sorting ids sorts by creation
// time, which makes cursor pagination a plain "id < cursor".
func NewID() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("survey: crypto/rand failed: " + err.Error())
	}
	// 128 bits -> 26 base32 digits, most significant first.
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	out := make([]byte, 26)
	for i := 25; i >= 0; i-- {
		out[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out)
}

// RandomToken returns n random bytes encoded as unpadded base64url.
func RandomToken(n int) string {
	return base64.RawURLEncoding.EncodeToString(RandomBytes(n))
}

// RandomBytes returns n bytes from the system's secure random source.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("survey: crypto/rand failed: " + err.Error())
	}
	return b
}
