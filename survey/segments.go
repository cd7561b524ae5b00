package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strconv"
)

// Device classes.
const (
	DeviceMobile  = "mobile"
	DeviceDesktop = "desktop"
	DeviceUnknown = "unknown"
)

var mobileUA = regexp.MustCompile(`(?i)mobi|android|iphone|ipad|ipod|windows phone|opera mini|silk/`)

// DeviceClass classifies a User-Agent as mobile (phones and tablets) or
// desktop; an empty one is unknown.
func DeviceClass(userAgent string) string {
	switch {
	case userAgent == "":
		return DeviceUnknown
	case mobileUA.MatchString(userAgent):
		return DeviceMobile
	default:
		return DeviceDesktop
	}
}

// FrequencyBucket groups impression counts as the frequency curve shows
// them: 0, 1, 2, 3-4, 5+; "" when the count is unknown.
func FrequencyBucket(freq *int) string {
	switch {
	case freq == nil:
		return ""
	case *freq <= 2:
		return strconv.Itoa(max(*freq, 0))
	case *freq <= 4:
		return "3-4"
	default:
		return "5+"
	}
}

// FrequencyBuckets lists the buckets in display order.
var FrequencyBuckets = []string{"0", "1", "2", "3-4", "5+"}

// Cell is a distinct combination of segment attributes: the unit the
// running counts are kept by, so that any segment and raking are sums
// over cells.
type Cell struct {
	ID              string
	Attrs           map[string]string
	Device          string
	FrequencyBucket string
}

// NewCell derives a cell's id from its canonical content: JSON with sorted
// keys (encoding/json sorts map keys), so equal attributes share a cell on
// every replica without a lookup.
func NewCell(attrs map[string]string, device, bucket string) Cell {
	if attrs == nil {
		attrs = map[string]string{}
	}
	canon, _ := json.Marshal(struct {
		A map[string]string `json:"a"`
		D string            `json:"d"`
		F string            `json:"f"`
	}{attrs, device, bucket})
	sum := sha256.Sum256(canon)
	return Cell{ID: hex.EncodeToString(sum[:8]), Attrs: attrs, Device: device, FrequencyBucket: bucket}
}
