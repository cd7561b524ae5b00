package store

// SetChunkRespondents lowers the respondents folded per chunk, so that a
// small file spans several chunks; the returned function restores it.
func SetChunkRespondents(n int) (restore func()) {
	old := chunkRespondents
	chunkRespondents = n
	return func() { chunkRespondents = old }
}
