package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// HoldoutGroup decides a respondent's group for holdout studies, with no
// storage: u = the first 8 bytes of HMAC-SHA256(key, rid) read as a
// big-endian unsigned integer and divided by 2^64; the respondent is in
// control when u < controlShare, exposed otherwise. Every replica, and an
// ad server that holds the key, computes the same answer
// (docs/INTEGRATION.md).
func HoldoutGroup(key []byte, rid string, controlShare float64) Group {
	if holdoutU(key, rid) < controlShare {
		return GroupControl
	}
	return GroupExposed
}

// HoldoutGroup is the study's holdout decision for a respondent.
func (st *Study) HoldoutGroup(rid string) Group {
	return HoldoutGroup(st.keys.assignment, rid, st.ControlShare)
}

// RespondentHash is what the store keeps instead of a respondent id: an HMAC
// keyed by the study's stable assignment key, with a domain prefix so that
// it never equals the assignment hash. Deleting a respondent's data by their
// id hashes the id the same way.
func (st *Study) RespondentHash(rid string) string {
	return respondentHash(hmac.New(sha256.New, st.keys.assignment), rid)
}

// RespondentHasher returns RespondentHash as a function that keeps one
// HMAC state between calls, for hashing many ids in a row: setting up the
// keyed state cost more than hashing a short id. The function is not safe
// for concurrent use; take one per goroutine.
func (st *Study) RespondentHasher() func(rid string) string {
	m := hmac.New(sha256.New, st.keys.assignment)
	return func(rid string) string {
		m.Reset()
		return respondentHash(m, rid)
	}
}

// respondentHash is the hash of rid by a fresh or reset HMAC state m.
func respondentHash(m hash.Hash, rid string) string {
	m.Write([]byte("respondent\x00"))
	m.Write([]byte(rid))
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0])[:16])
}
