package store

import "context"

// AttributeNames lists every attribute any of the study's respondents
// carries, sorted: the segments the dashboard offers besides device and
// frequency. It reads the study's cells, never its responses.
func (s *Store) AttributeNames(ctx context.Context, studyID string) ([]string, error) {
	return attributeNames(ctx, s.db, studyID)
}
