package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// pixelRoute is the exposure pixel's route (HEAD is answered too).
const pixelRoute = "/px/:public_key"

// transparentGIF is the smallest valid 1x1 transparent GIF (43 bytes).
var transparentGIF = []byte{
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
}

// pixel records an impression and always answers the GIF: whatever goes
// wrong here must never show a broken image on a publisher's page, so
// failures are logged, not returned.
func (s *Server) pixel(c echo.Context) error {
	if err := s.recordImpression(c); err != nil {
		s.log.Warn("pixel: impression not recorded", "request_id", requestID(c), "err", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "image/gif")
	h.Set("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "0")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(transparentGIF)))
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(transparentGIF)
	return err
}

func (s *Server) recordImpression(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := s.store.PublicStudy(ctx, c.Param("public_key"))
	if err != nil {
		return err
	}
	imp := survey.Impression{RID: c.QueryParam("rid"), Creative: c.QueryParam("creative"), Placement: c.QueryParam("placement")}
	if t := c.QueryParam("t"); t != "" {
		tok, err := st.VerifyToken(t, time.Now())
		if err != nil {
			return err
		}
		imp.RID = tok.RID
	}
	return s.store.RecordImpression(ctx, st, imp)
}
