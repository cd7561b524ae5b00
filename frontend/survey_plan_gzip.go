package frontend

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"strconv"
)

// A survey page compressed per request cost about half of a planned
// page's time, more than the rest of the request. So a plan keeps its
// pieces compressed too, each on its own: a deflate stream may be any
// sequence of blocks, and a block compressed alone refers to nothing
// before it, so the pieces can be laid end to end in any order. The
// values spliced in (token, start time, nonce) are random and short;
// they go in as stored blocks. The result is a little larger than the
// whole page compressed at once, and costs a copy.

// gzipHeader is a gzip member header without a name, time or flags.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty final block with fixed codes: BFINAL=1,
// BTYPE=01, then the end-of-block code.
var finalBlock = []byte{0x03, 0x00}

// deflater compresses pieces one after another with one writer: a new
// writer allocates about a megabyte at the best level.
type deflater struct {
	w   *flate.Writer
	out bytes.Buffer
}

// alone compresses b as non-final blocks that end on a byte boundary
// (flate's Flush ends with an empty stored block) and refer to nothing
// before them.
func (d *deflater) alone(b []byte) []byte {
	d.out.Reset()
	if d.w == nil {
		d.w, _ = flate.NewWriter(&d.out, flate.BestCompression)
	} else {
		d.w.Reset(&d.out)
	}
	d.w.Write(b)
	d.w.Flush()
	return bytes.Clone(d.out.Bytes())
}

// deflate compresses the plan's pieces: each static part, and each
// choice at each place it can take.
func (p *SurveyPlan) deflate() {
	var d deflater
	for i := range p.parts {
		p.parts[i].deflated = d.alone(p.parts[i].static)
	}
	p.deflated = make([]map[string][][]byte, len(p.options))
	for i, cut := range p.options {
		if len(cut) == 0 {
			continue
		}
		p.deflated[i] = map[string][][]byte{}
		for k, c := range cut {
			places := make([][]byte, len(cut))
			for place := range places {
				places[place] = d.alone(optionAt(c, place))
			}
			p.deflated[i][k] = places
		}
	}
}

// optionAt is a choice's HTML at place (0-based).
func optionAt(c [2][]byte, place int) []byte {
	return append(append(append([]byte(nil), c[0]...), strconv.Itoa(place+1)...), c[1]...)
}

// FillGzip is Fill compressed: it writes the page for v into buf as a
// gzip stream and reports whether it could (as Fill does).
func (p *SurveyPlan) FillGzip(buf *bytes.Buffer, v SurveyValues) bool {
	if !p.fits(v) {
		return false
	}
	buf.Write(gzipHeader)
	crc, size := uint32(0), 0
	raw := func(b []byte) {
		crc = crc32.Update(crc, crc32.IEEETable, b)
		size += len(b)
	}
	stored := func(s string) {
		if s == "" {
			return
		}
		// A stored block: a byte of header bits (BFINAL=0, BTYPE=00,
		// padding), then LEN and its complement, then the bytes.
		var h [5]byte
		binary.LittleEndian.PutUint16(h[1:], uint16(len(s)))
		binary.LittleEndian.PutUint16(h[3:], ^uint16(len(s)))
		buf.Write(h[:])
		buf.WriteString(s)
		raw([]byte(s))
	}
	var num [4]byte
	for _, part := range p.parts {
		buf.Write(part.deflated)
		raw(part.static)
		switch part.hole {
		case holeToken:
			stored(v.Token)
		case holeStarted:
			stored(v.Started)
		case holeNonce:
			stored(v.Nonce)
		case holeOptions:
			cut, deflated := p.options[part.question], p.deflated[part.question]
			for place, k := range v.Orders[part.question] {
				buf.Write(deflated[k][place])
				raw(cut[k][0])
				raw(strconv.AppendInt(num[:0], int64(place+1), 10))
				raw(cut[k][1])
			}
		}
	}
	buf.Write(finalBlock)
	var tail [8]byte
	binary.LittleEndian.PutUint32(tail[:4], crc)
	binary.LittleEndian.PutUint32(tail[4:], uint32(size))
	buf.Write(tail[:])
	return true
}
